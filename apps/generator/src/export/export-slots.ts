import { Inject, Injectable } from '@nestjs/common';
import { QUOTAS_CONFIG, type QuotasConfig } from '../generator.config';
import { KeyedSlots, tooManyExportsError } from '../quotas/quota-rules';

/**
 * CSV exports in progress per brand, in this replica (BRAND_MAX_CONCURRENT_EXPORTS). Each export
 * holds a database cursor, a socket and the brand's read of its whole inventory for as long as
 * its client reads; the limit keeps one brand from holding many of them. Per replica on purpose:
 * a shared count would need a lease that outlives a crashed replica (expiry, renewal) for what
 * is a bound on this process's own resources; with R replicas a brand may run R × the limit.
 */
@Injectable()
export class ExportSlots {
  private readonly slots: KeyedSlots;

  constructor(@Inject(QUOTAS_CONFIG) settings: QuotasConfig) {
    this.slots = new KeyedSlots(settings.maxConcurrentExports);
  }

  /** Takes one of the brand's slots, or refuses (429 too_many_exports); returns the release. */
  take(brandId: string): () => void {
    const release = this.slots.tryTake(brandId);
    if (!release) throw tooManyExportsError(brandId, this.slots.limit);
    return release;
  }

  inUse(brandId: string): number {
    return this.slots.inUse(brandId);
  }
}
