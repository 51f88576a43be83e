import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { codeClaimedWebhook, SUBJECTS } from '@app/contracts';
import { captureTraceContext, EventConsumers, type ConsumedEvent } from '@app/messaging';
import {
  BrandsRepository,
  CodeInventoryRepository,
  type NewDelivery,
  type WebhookSettings,
} from '@app/persistence';
import { CONSUMERS_CONFIG, type ConsumersConfig } from '../generator.config';
import { receivesEvent } from '../webhooks/event-choice';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

export const CLAIM_EVENTS_DURABLE = 'generator-claim-events';
const MAX_BATCH = 100;
const RETRY_DELAY_MS = 2_000;

type ClaimEvent = ConsumedEvent<typeof SUBJECTS.codeClaimed>;

/**
 * Claim events from the provider, through a durable JetStream consumer: events published while
 * the generator was down arrive when it is back. For each event of a brand with a webhook a
 * delivery is stored, and the event is acknowledged only then; the dispatcher takes it from
 * there. Every step is idempotent by event id, since JetStream may deliver an event twice.
 */
@Injectable()
export class ClaimEventsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(ClaimEventsConsumer.name);

  constructor(
    @Inject(CONSUMERS_CONFIG) private readonly settings: ConsumersConfig,
    private readonly consumers: EventConsumers,
    private readonly brands: BrandsRepository,
    private readonly inventory: CodeInventoryRepository,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.start({
      durableName: CLAIM_EVENTS_DURABLE,
      subject: SUBJECTS.codeClaimed,
      ackWaitMs: this.settings.ackWaitMs,
      maxDeliver: this.settings.maxDeliver,
      maxBatch: MAX_BATCH,
      retryDelayMs: RETRY_DELAY_MS,
      handle: (events) => this.handle(events),
    });
  }

  async handle(events: readonly ClaimEvent[]): Promise<void> {
    const now = new Date();
    const byBrand = new Map<string, ClaimEvent[]>();
    for (const event of events) {
      const list = byBrand.get(event.payload.brandId) ?? [];
      list.push(event);
      byBrand.set(event.payload.brandId, list);
    }
    const deliveries: NewDelivery[] = [];
    const webhooks = new Map<string, WebhookSettings>();
    const counts: Array<[string, ClaimEvent[]]> = [];
    for (const [brandId, claimed] of byBrand) {
      const brand = await this.brands.findById(brandId);
      if (!brand) continue;
      const brandEvents = await this.confirmed(brandId, claimed);
      counts.push([brandId, brandEvents]);
      // Every claim is counted (below) whatever the brand chose; only a webhook that chose code.claimed gets it.
      if (!receivesEvent(brand.webhook, 'code.claimed')) continue;
      webhooks.set(brandId, brand.webhook);
      for (const event of brandEvents) {
        deliveries.push({
          eventId: event.payload.eventId,
          brandId,
          eventType: event.payload.type,
          payload: codeClaimedWebhook(event.payload),
          traceContext: captureTraceContext(event.traceContext),
          createdAt: now,
        });
      }
    }
    // Deliveries first: they matter more than the counter if the batch fails halfway.
    if (deliveries.length > 0) await this.dispatcher.enqueue(deliveries, webhooks);
    for (const [brandId, brandEvents] of counts) {
      const counted = await this.inventory.markClaimsNotified(
        brandId,
        brandEvents.map((e) => e.payload.code),
        now,
      );
      await this.brands.addClaimsNotified(brandId, counted);
    }
  }

  /**
   * The events the database agrees with: that code claimed by that user under that event id.
   * Anyone who can publish on NATS could otherwise have the generator sign a webhook for a claim
   * that never happened; such an event is dropped (and acknowledged: it can never become true).
   */
  private async confirmed(brandId: string, events: readonly ClaimEvent[]): Promise<ClaimEvent[]> {
    const claims = await this.inventory.findClaims(
      brandId,
      events.map((e) => e.payload.code),
    );
    return events.filter(({ payload }) => {
      const claim = claims.get(payload.code);
      const genuine = claim?.claimedBy === payload.userId && claim.eventId === payload.eventId;
      if (!genuine) {
        this.logger.warn(
          `code.claimed ${payload.eventId} for brand ${brandId} does not match a stored claim: dropped`,
        );
      }
      return genuine;
    });
  }
}
