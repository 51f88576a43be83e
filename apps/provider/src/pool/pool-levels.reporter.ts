import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { CodePoolMetrics, MAX_BRAND_SERIES } from '@app/metrics';
import { CodePoolRepository } from '@app/persistence';
import { PeriodicTask } from '@app/scheduling';
import type { ProviderConfig } from '../provider.config';

/**
 * Available codes per brand for the pool dashboards and alerts, for a bounded set of brands
 * (the configured ones and the top N) and on an interval: counting is a scan on some servers,
 * so it must not run per scrape.
 */
@Injectable()
export class PoolLevelsReporter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @Inject(APP_CONFIG) private readonly config: ProviderConfig,
    private readonly pool: CodePoolRepository,
    private readonly metrics: CodePoolMetrics,
  ) {
    this.task = new PeriodicTask(
      { name: 'pool levels count', intervalMs: config.poolMetrics.refreshMs, failureLevel: 'debug' },
      () => this.refresh(),
    );
  }

  onApplicationBootstrap(): void {
    const { brands, topBrands } = this.config.poolMetrics;
    if (brands.length > 0 || topBrands > 0) this.task.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async refresh(): Promise<void> {
    const { brands, topBrands } = this.config.poolMetrics;
    const levels = new Map<string, number>();
    if (brands.length > 0)
      for (const [brand, n] of await this.pool.countAvailableOf(brands)) levels.set(brand, n);
    if (topBrands > 0) {
      for (const [brand, n] of await this.pool.topAvailable(topBrands)) {
        if (levels.size >= MAX_BRAND_SERIES) break;
        levels.set(brand, n);
      }
    }
    this.metrics.set(levels);
  }
}
