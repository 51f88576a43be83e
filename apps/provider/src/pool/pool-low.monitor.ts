import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { poolLowEventId, SUBJECTS } from '@app/contracts';
import { EventPublisher, NatsClient } from '@app/messaging';
import { CodePoolRepository } from '@app/persistence';
import type { ProviderConfig } from '../provider.config';
import { BrandSettingsCache } from './brand-settings.cache';
import { PoolWatch } from './pool-watch';
import { errorMessage } from '@app/scheduling';

/**
 * After claims, tells the generator when a brand's available codes fall below its
 * poolLowThreshold (pool.low, at most one per brand per dedupe window). Best effort and never
 * in the claim's way: a missed one is noticed again a few claims later.
 */
@Injectable()
export class PoolLowMonitor {
  private readonly logger = new Logger(PoolLowMonitor.name);
  private readonly watch: PoolWatch;
  /** The pool.low id last published per brand: the window's id, so one per window per replica. */
  private readonly published = new Map<string, string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: ProviderConfig,
    private readonly settings: BrandSettingsCache,
    private readonly pool: CodePoolRepository,
    private readonly publisher: EventPublisher,
    private readonly nats: NatsClient,
  ) {
    this.watch = new PoolWatch(config.pool.checkEveryClaims);
    publisher.declare(SUBJECTS.poolLow);
  }

  /** Call after a new claim; returns at once. */
  claimed(brandId: string): void {
    this.check(brandId).catch((error: unknown) =>
      this.logger.warn(`pool check of brand ${brandId} failed: ${errorMessage(error)}`),
    );
  }

  private async check(brandId: string): Promise<void> {
    const threshold = (await this.settings.get(brandId))?.poolLowThreshold;
    if (threshold === undefined || !this.watch.claimed(brandId)) return;
    let available: number | undefined;
    try {
      available = await this.pool.countAvailable(brandId);
    } finally {
      this.watch.counted(brandId, available, threshold);
    }
    if (available === undefined || !PoolWatch.isLow(available, threshold)) return;
    const now = new Date();
    const eventId = poolLowEventId(brandId, now, this.config.pool.dedupeWindowMs);
    if (this.published.get(brandId) === eventId || !this.nats.isConnected()) return;
    this.published.set(brandId, eventId);
    try {
      await this.publisher.publish(SUBJECTS.poolLow, {
        eventId,
        type: 'pool.low',
        version: 1,
        brandId,
        available,
        threshold,
        detectedAt: now.toISOString(),
      });
      this.logger.log(`brand ${brandId} is low on codes (${available} < ${threshold}): pool.low published`);
    } catch (error) {
      this.published.delete(brandId);
      throw error;
    }
  }
}
