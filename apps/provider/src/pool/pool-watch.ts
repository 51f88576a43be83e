/**
 * Decides when to count a brand's available codes. Counting is a query per brand (a full scan
 * on the dev server), so it happens at most once per `checkEvery` claims of a brand on this
 * replica, and sooner when the last count says the threshold is about to be crossed. Pure: the
 * caller counts and reports back.
 */
export class PoolWatch {
  /** Claims to go before the next count, per brand; absent = count at the next claim. */
  private readonly claimsUntilCount = new Map<string, number>();
  private readonly counting = new Set<string>();

  constructor(
    private readonly checkEvery: number,
    /** Brands remembered at most; beyond it the oldest are forgotten (and simply counted again). */
    private readonly maxBrands = 10_000,
  ) {
    if (!Number.isInteger(checkEvery) || checkEvery < 1)
      throw new RangeError('checkEvery must be a positive integer');
  }

  /** Records a claim of the brand; true when the caller should count now (then call counted()). */
  claimed(brandId: string): boolean {
    if (this.counting.has(brandId)) return false;
    const left = (this.claimsUntilCount.get(brandId) ?? 1) - 1;
    if (left > 0) {
      this.claimsUntilCount.set(brandId, left);
      return false;
    }
    this.counting.add(brandId);
    return true;
  }

  /** The count the caller made (or undefined when it failed: then it is tried at the next claim). */
  counted(brandId: string, available: number | undefined, threshold: number): void {
    this.counting.delete(brandId);
    if (available === undefined) {
      this.claimsUntilCount.delete(brandId);
      return;
    }
    // Claims until `available` drops below `threshold`, if every claim were ours; never more than checkEvery.
    const untilCrossing = Math.max(1, available - threshold + 1);
    this.remember(brandId, Math.min(this.checkEvery, untilCrossing));
  }

  /** True when the count is below the threshold: the pool is low. */
  static isLow(available: number, threshold: number): boolean {
    return available < threshold;
  }

  private remember(brandId: string, claims: number): void {
    this.claimsUntilCount.delete(brandId);
    if (this.claimsUntilCount.size >= this.maxBrands) {
      const oldest = this.claimsUntilCount.keys().next();
      if (!oldest.done) this.claimsUntilCount.delete(oldest.value);
    }
    this.claimsUntilCount.set(brandId, claims);
  }
}
