import { Injectable } from '@nestjs/common';
import type { WebhookBody, WebhookEventType } from '@app/contracts';
import { BrandsRepository, type NewDelivery, type WebhookSettings } from '@app/persistence';
import { receivesEvent } from './event-choice';
import { WebhookDispatcher } from './webhook-dispatcher';

/** An event for brands' webhooks: its body (which names the event id, type and brand). */
export interface WebhookEvent {
  readonly body: WebhookBody<WebhookEventType>;
  /** The trace the attempts continue, when the event has one. */
  readonly traceContext?: Readonly<Record<string, string>>;
}

/**
 * Hands events of the generator's own making (a job's end, a redemption, pool.low) to the brands'
 * webhooks: a delivery for each event whose brand has a webhook that chose the event's type, stored
 * under the event's id, so the same event offered twice (a redelivery, two replicas relaying the
 * same outbox) is one delivery. Events of brands that did not choose them are dropped here.
 */
@Injectable()
export class WebhookEvents {
  constructor(
    private readonly brands: BrandsRepository,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** Resolves how many deliveries were offered (those already stored are left as they are). */
  async deliver(events: readonly WebhookEvent[], now = new Date()): Promise<number> {
    const webhooks = new Map<string, WebhookSettings>();
    for (const brandId of new Set(events.map((e) => e.body.brandId))) {
      const webhook = (await this.brands.findById(brandId))?.webhook;
      if (webhook) webhooks.set(brandId, webhook);
    }
    const deliveries: NewDelivery[] = events
      .filter((event) => receivesEvent(webhooks.get(event.body.brandId), event.body.type))
      .map((event) => ({
        eventId: event.body.eventId,
        brandId: event.body.brandId,
        eventType: event.body.type,
        payload: { ...event.body },
        ...(event.traceContext ? { traceContext: event.traceContext } : {}),
        createdAt: now,
      }));
    if (deliveries.length === 0) return 0;
    const receiving = new Map([...webhooks].filter(([id]) => deliveries.some((d) => d.brandId === id)));
    await this.dispatcher.enqueue(deliveries, receiving);
    return deliveries.length;
  }
}
