import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { poolLowWebhook, SUBJECTS } from '@app/contracts';
import { captureTraceContext, EventConsumers, type ConsumedEvent } from '@app/messaging';
import { BrandsRepository } from '@app/persistence';
import { CONSUMERS_CONFIG, type ConsumersConfig } from '../generator.config';
import { WebhookEvents } from '../webhooks/webhook-events';
import { ReplenishmentService } from './replenishment.service';

export const POOL_LOW_DURABLE = 'generator-pool-low';
const RETRY_DELAY_MS = 5_000;

/**
 * pool.low events: brands whose webhook chose pool.low are told, and brands with auto-replenish get
 * `autoReplenish.count` more codes.
 */
@Injectable()
export class PoolLowConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(CONSUMERS_CONFIG) private readonly settings: ConsumersConfig,
    private readonly consumers: EventConsumers,
    private readonly brands: BrandsRepository,
    private readonly replenishment: ReplenishmentService,
    private readonly webhooks: WebhookEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.start({
      durableName: POOL_LOW_DURABLE,
      subject: SUBJECTS.poolLow,
      ackWaitMs: this.settings.ackWaitMs,
      maxDeliver: this.settings.maxDeliver,
      // Generation takes a while: one event at a time keeps acks well inside the ack wait.
      maxBatch: 1,
      retryDelayMs: RETRY_DELAY_MS,
      handle: async (events) => {
        for (const event of events) await this.handle(event);
      },
    });
  }

  private async handle(event: ConsumedEvent<typeof SUBJECTS.poolLow>): Promise<void> {
    const { brandId, eventId } = event.payload;
    // A redelivered event, or the copy of another provider replica that JetStream did not drop.
    if (await this.brands.isPoolLowHandled(brandId, eventId)) return;
    // The delivery's id is the event's, so an event that comes back (its replenishment failed, or
    // another replica's copy) finds its delivery stored and adds none.
    await this.webhooks.deliver([
      { body: poolLowWebhook(event.payload), traceContext: captureTraceContext(event.traceContext) },
    ]);
    await this.replenishment.replenish(brandId, 'pool_low');
    // After, not before: an event whose replenishment failed must come back (the cooldown keeps
    // a redelivery after a crash right here from adding codes twice).
    await this.brands.markPoolLowHandled(brandId, eventId);
  }
}
