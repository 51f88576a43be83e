import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { BrandsRepository, type AutoReplenishSettings } from '@app/persistence';
import { PromiseCache } from '@app/scheduling';
import type { ProviderConfig } from '../provider.config';

export interface PoolSettings {
  readonly poolLowThreshold?: number;
  readonly autoReplenish?: AutoReplenishSettings;
}

/**
 * The brand settings the provider acts on, cached for BRAND_SETTINGS_CACHE_MS so a claim does
 * not cost an extra read (concurrent claims of one brand share one). A change made through the
 * generator takes effect within that time.
 */
@Injectable()
export class BrandSettingsCache {
  private readonly settings: PromiseCache<PoolSettings | null>;

  constructor(
    @Inject(APP_CONFIG) config: ProviderConfig,
    private readonly brands: BrandsRepository,
  ) {
    this.settings = new PromiseCache({ ttlMs: config.pool.settingsCacheMs, maxEntries: 10_000 });
  }

  /** Null when the brand does not exist. */
  get(brandId: string): Promise<PoolSettings | null> {
    return this.settings.get(brandId, async () => {
      const brand = await this.brands.findPoolSettings(brandId);
      return brand ? { poolLowThreshold: brand.poolLowThreshold, autoReplenish: brand.autoReplenish } : null;
    });
  }
}
