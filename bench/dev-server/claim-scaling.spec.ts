import { budgetSizeOf } from './claim-scaling';

const points = (...pairs: Array<[number, number]>) => pairs.map(([size, ms]) => ({ size, ms }));

describe('where a claim reaches the budget', () => {
  it('interpolates between the two steps around the crossing, rounded down to a thousand', () => {
    // 60 ms at 10,000 and 140 ms at 20,000: 100 ms at 15,000; the far step must not move it.
    expect(budgetSizeOf(points([5_000, 30], [10_000, 60], [20_000, 140], [50_000, 900]), 100)).toBe(15_000);
  });

  it('rounds to a hundred below 2,000 codes, and never below one hundred', () => {
    expect(budgetSizeOf(points([1_000, 50], [2_000, 110]), 100)).toBe(1_800);
    expect(budgetSizeOf(points([500, 400], [1_000, 800]), 100)).toBe(100);
  });

  it('extrapolates along the last two steps when none reaches the budget', () => {
    // 12 ms at 2,000, 22 ms at 4,000: 100 ms at 19,600
    expect(budgetSizeOf(points([1_000, 7], [2_000, 12], [4_000, 22]), 100)).toBe(19_000);
  });

  it('is unbounded when cost does not grow with size', () => {
    expect(budgetSizeOf(points([1_000, 5], [2_000, 5]), 100)).toBe(Number.POSITIVE_INFINITY);
  });
});
