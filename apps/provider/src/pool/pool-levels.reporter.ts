import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { CodePoolMetrics, MAX_BRAND_SERIES } from '@app/metrics';
import { CodeClaimsRepository } from '@app/persistence';
import type { ProviderConfig } from '../provider.config';

/**
 * Available codes per brand for the pool dashboards and alerts, for a bounded set of brands
 * (the configured ones and the top N) and on an interval: counting is a scan on some servers,
 * so it must not run per scrape.
 */
@Injectable()
export class PoolLevelsReporter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PoolLevelsReporter.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: ProviderConfig,
    private readonly claims: CodeClaimsRepository,
    private readonly metrics: CodePoolMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const { brands, topBrands, refreshMs } = this.config.poolMetrics;
    if (brands.length === 0 && topBrands === 0) return;
    this.refreshSoon();
    this.timer = setInterval(() => this.refreshSoon(), refreshMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private refreshSoon(): void {
    this.running ??= this.refresh()
      .catch((error: unknown) =>
        this.logger.debug(
          `pool levels not counted: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => (this.running = undefined));
  }

  private async refresh(): Promise<void> {
    const { brands, topBrands } = this.config.poolMetrics;
    const levels = new Map<string, number>();
    if (brands.length > 0)
      for (const [brand, n] of await this.claims.countAvailableOf(brands)) levels.set(brand, n);
    if (topBrands > 0) {
      for (const [brand, n] of await this.claims.topAvailable(topBrands)) {
        if (levels.size >= MAX_BRAND_SERIES) break;
        levels.set(brand, n);
      }
    }
    this.metrics.set(levels);
  }
}
