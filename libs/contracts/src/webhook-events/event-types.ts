import { z } from 'zod';

/**
 * The event types a brand's webhook can receive, each a versioned body (see the schemas beside
 * this file). A brand chooses among them; the order here is the order they are listed in.
 */
export const WEBHOOK_EVENT_TYPES = [
  'code.claimed',
  'code.redeemed',
  'code.redemption_rolled_back',
  'pool.low',
  'job.completed',
  'job.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a webhook receives when its brand never chose: what every webhook received before the choice existed. */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = ['code.claimed'];

/** The type of the event `POST /v1/brands/{brandId}/webhook/test` sends; never chosen, never stored. */
export const WEBHOOK_TEST_EVENT_TYPE = 'webhook.test';

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);
}

/** A brand's choice as stored: each type once, in WEBHOOK_EVENT_TYPES order. */
export function canonicalEventTypes(types: readonly WebhookEventType[]): WebhookEventType[] {
  return WEBHOOK_EVENT_TYPES.filter((type) => types.includes(type));
}

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
