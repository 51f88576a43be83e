import { finished, type Writable } from 'node:stream';
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

  /**
   * Takes one of the brand's slots for as long as `response` is open, or refuses (429
   * too_many_exports). The slot is given back once the response was sent whole, failed, or its
   * client went away, whichever comes first. finished() rather than once('close'): the client
   * may have gone away before this is called (while the guards ran), and a 'close' that already
   * fired never comes again; finished() calls back at once for a stream already closed.
   */
  holdFor(brandId: string, response: Writable): void {
    const release = this.slots.tryTake(brandId);
    if (!release) throw tooManyExportsError(brandId, this.slots.limit);
    finished(response, () => release());
  }

  inUse(brandId: string): number {
    return this.slots.inUse(brandId);
  }
}
