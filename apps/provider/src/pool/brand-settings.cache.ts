import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { BrandsRepository, type AutoReplenishSettings } from '@app/persistence';
import type { ProviderConfig } from '../provider.config';

export interface PoolSettings {
  readonly poolLowThreshold?: number;
  readonly autoReplenish?: AutoReplenishSettings;
}

const MAX_ENTRIES = 10_000;

/**
 * The brand settings the provider acts on, cached for BRAND_SETTINGS_CACHE_MS so a claim does
 * not cost an extra read. A change made through the generator takes effect within that time.
 */
@Injectable()
export class BrandSettingsCache {
  private readonly entries = new Map<string, { at: number; settings: Promise<PoolSettings | null> }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: ProviderConfig,
    private readonly brands: BrandsRepository,
  ) {}

  /** Null when the brand does not exist. */
  get(brandId: string): Promise<PoolSettings | null> {
    const now = Date.now();
    const cached = this.entries.get(brandId);
    if (cached && now - cached.at < this.config.pool.settingsCacheMs) return cached.settings;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    // The promise is cached, so concurrent claims of one brand share one read.
    const settings = this.brands
      .findById(brandId)
      .then((brand) =>
        brand ? { poolLowThreshold: brand.poolLowThreshold, autoReplenish: brand.autoReplenish } : null,
      );
    this.entries.set(brandId, { at: now, settings });
    settings.catch(() => this.entries.delete(brandId));
    return settings;
  }
}
