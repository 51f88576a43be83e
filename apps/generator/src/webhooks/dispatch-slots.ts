/**
 * Counts webhook attempts in flight, overall and per brand. The per-brand limit is what keeps
 * one brand's slow or hanging receiver from using up the global capacity: it holds at most
 * `perBrand` slots while every other brand keeps being served. Pure bookkeeping.
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

  /** Takes a slot for the brand when one is free overall and for that brand. */
  tryTake(brandId: string): boolean {
    const mine = this.byBrand.get(brandId) ?? 0;
    if (this.total >= this.maxTotal || mine >= this.maxPerBrand) return false;
    this.total++;
    this.byBrand.set(brandId, mine + 1);
    return true;
  }

  release(brandId: string): void {
    const mine = this.byBrand.get(brandId) ?? 0;
    if (mine === 0) throw new Error(`no slot of brand ${brandId} to release`);
    this.total--;
    if (mine === 1) this.byBrand.delete(brandId);
    else this.byBrand.set(brandId, mine - 1);
  }
}
