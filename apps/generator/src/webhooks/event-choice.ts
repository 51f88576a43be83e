import { DEFAULT_WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@app/contracts';
import type { WebhookSettings } from '@app/persistence';

/** The event types a webhook receives: the brand's choice, or the default for a brand that never chose. */
export function chosenEventTypes(webhook: Pick<WebhookSettings, 'events'>): readonly WebhookEventType[] {
  return webhook.events ?? DEFAULT_WEBHOOK_EVENT_TYPES;
}

/** Whether events of `type` go to this webhook: there is one, and its brand chose the type. */
export function receivesEvent(
  webhook: WebhookSettings | undefined,
  type: WebhookEventType,
): webhook is WebhookSettings {
  return webhook !== undefined && chosenEventTypes(webhook).includes(type);
}
