import { PoolWatch } from './pool-watch';

/** Simulates `claims` claims of one brand holding `available` codes; returns the claim numbers that counted. */
function countsDuring(watch: PoolWatch, available: number, threshold: number, claims: number): number[] {
  const counted: number[] = [];
  let left = available;
  for (let claim = 1; claim <= claims && left > 0; claim++) {
    left--;
    if (watch.claimed('acme')) {
      counted.push(claim);
      watch.counted('acme', left, threshold);
    }
  }
  return counted;
}

describe('PoolWatch', () => {
  it('counts at the first claim, then at most every checkEvery claims', () => {
    expect(countsDuring(new PoolWatch(10), 1_000, 5, 35)).toEqual([1, 11, 21, 31]);
  });

  it('counts sooner when the last count says the threshold is near', () => {
    // 30 codes, threshold 10: after the first claim 29 are left, so the next count comes when
    // 9 would be left (20 claims on), not later; from then on every claim is below.
    const counted = countsDuring(new PoolWatch(100), 30, 10, 25);
    expect(counted[0]).toBe(1);
    expect(counted[1]).toBe(21);
    expect(counted.slice(2)).toEqual([22, 23, 24, 25]);
  });

  it('never lets the pool fall below the threshold unnoticed by more than checkEvery claims', () => {
    for (const checkEvery of [1, 3, 10, 50]) {
      for (const threshold of [1, 5, 20]) {
        const watch = new PoolWatch(checkEvery);
        let left = 200;
        let crossedAt: number | undefined;
        let noticedAt: number | undefined;
        for (let claim = 1; left > 0; claim++) {
          left--;
          if (left < threshold) crossedAt ??= claim;
          if (watch.claimed('acme')) {
            watch.counted('acme', left, threshold);
            if (PoolWatch.isLow(left, threshold)) noticedAt ??= claim;
          }
        }
        expect(noticedAt).toBeDefined();
        expect(noticedAt! - crossedAt!).toBeLessThan(checkEvery);
      }
    }
  });

  it('does not start a second count of a brand while one runs', () => {
    const watch = new PoolWatch(1);
    expect(watch.claimed('acme')).toBe(true);
    expect(watch.claimed('acme')).toBe(false);
    expect(watch.claimed('other')).toBe(true);
    watch.counted('acme', 100, 10);
    expect(watch.claimed('acme')).toBe(true);
  });

  it('tries again at the next claim when a count failed', () => {
    const watch = new PoolWatch(10);
    expect(watch.claimed('acme')).toBe(true);
    watch.counted('acme', undefined, 10);
    expect(watch.claimed('acme')).toBe(true);
  });

  it('keeps brands apart', () => {
    const watch = new PoolWatch(3);
    expect(watch.claimed('a')).toBe(true);
    watch.counted('a', 100, 1);
    expect(watch.claimed('a')).toBe(false);
    expect(watch.claimed('b')).toBe(true);
  });

  it('forgets the oldest brands beyond its bound (they are simply counted again)', () => {
    const watch = new PoolWatch(5, 2);
    for (const brand of ['a', 'b', 'c']) {
      expect(watch.claimed(brand)).toBe(true);
      watch.counted(brand, 100, 1);
    }
    expect(watch.claimed('a')).toBe(true);
    expect(watch.claimed('c')).toBe(false);
  });

  it('isLow is strictly below the threshold', () => {
    expect(PoolWatch.isLow(9, 10)).toBe(true);
    expect(PoolWatch.isLow(10, 10)).toBe(false);
  });

  it('refuses a checkEvery below 1', () => {
    expect(() => new PoolWatch(0)).toThrow(RangeError);
  });
});
