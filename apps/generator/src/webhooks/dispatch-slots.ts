/**
 * Counts webhook attempts in progress, overall and per brand. A brand's slot covers its HTTP
 * request only: it is given back as soon as the receiver answered (or timed out), while the
 * overall slot also covers recording the outcome. The per-brand limit is what keeps one brand's
 * slow or hanging receiver from using up the global capacity: it holds at most `perBrand`
 * requests while every other brand keeps being served. Pure bookkeeping.
 */
export class DispatchSlots {
  private total = 0;
  private readonly byBrand = new Map<string, number>();

  constructor(
    readonly maxTotal: number,
    readonly maxPerBrand: number,
  ) {
    if (maxTotal < 1 || maxPerBrand < 1) throw new RangeError('limits must be at least 1');
  }

  /** Slots free overall. */
  free(): number {
    return this.maxTotal - this.total;
  }

  inFlight(): number {
    return this.total;
  }

  /** Brands with no slot left: the next search for due deliveries skips them. */
  fullBrands(): string[] {
    return [...this.byBrand].filter(([, count]) => count >= this.maxPerBrand).map(([brand]) => brand);
  }

  /** Takes an overall slot and one of the brand's when both are free. */
  tryTake(brandId: string): boolean {
    const mine = this.byBrand.get(brandId) ?? 0;
    if (this.total >= this.maxTotal || mine >= this.maxPerBrand) return false;
    this.total++;
    this.byBrand.set(brandId, mine + 1);
    return true;
  }

  /** The brand's request is over (answered or timed out); the overall slot stays taken. */
  releaseBrand(brandId: string): void {
    const mine = this.byBrand.get(brandId) ?? 0;
    if (mine === 0) throw new Error(`no slot of brand ${brandId} to release`);
    if (mine === 1) this.byBrand.delete(brandId);
    else this.byBrand.set(brandId, mine - 1);
  }

  /** The attempt is over, outcome recorded. */
  releaseTotal(): void {
    if (this.total === 0) throw new Error('no overall slot to release');
    this.total--;
  }

  /** Both at once: an attempt that ended before its request (or never started). */
  release(brandId: string): void {
    this.releaseBrand(brandId);
    this.releaseTotal();
  }
}
