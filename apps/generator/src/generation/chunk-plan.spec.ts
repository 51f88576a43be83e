import fc from 'fast-check';
import { chunkCountOf, planChunks, ratePerSecond, reconcileStep } from './chunk-plan';

describe('planChunks / chunkCountOf', () => {
  it('cuts a job into full chunks and a remainder', () => {
    const plan = planChunks(25_001, 10_000);
    expect(plan).toEqual({ chunkSize: 10_000, chunkCount: 3 });
    expect([0, 1, 2].map((i) => chunkCountOf(25_001, plan, i))).toEqual([10_000, 10_000, 5_001]);
  });

  it('chunk sizes always add up to the request, each between 1 and the chunk size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 1_000, max: 100_000 }),
        (requested, size) => {
          const plan = planChunks(requested, size);
          let total = 0;
          let outOfRange = 0;
          for (let i = 0; i < plan.chunkCount; i++) {
            const n = chunkCountOf(requested, plan, i);
            if (n < 1 || n > size) outOfRange++;
            total += n;
          }
          expect({ total, outOfRange }).toEqual({ total: requested, outOfRange: 0 });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses nonsense', () => {
    expect(() => planChunks(0, 10)).toThrow(RangeError);
    expect(() => planChunks(10, 0)).toThrow(RangeError);
    expect(() => chunkCountOf(10, planChunks(10, 5), 2)).toThrow(RangeError);
  });
});

describe('reconcileStep', () => {
  it('inserts the shortfall, trims the surplus, stops on exact', () => {
    expect(reconcileStep(700, 1_000)).toEqual({ action: 'insert', count: 300 });
    expect(reconcileStep(1_200, 1_000)).toEqual({ action: 'trim', count: 200 });
    expect(reconcileStep(1_000, 1_000)).toEqual({ action: 'exact' });
  });

  it('converges: applying the steps to any start reaches the target in one step', () => {
    fc.assert(
      fc.property(fc.nat(50_000), fc.integer({ min: 1, max: 20_000 }), (stored, target) => {
        const step = reconcileStep(stored, target);
        const after =
          step.action === 'insert'
            ? stored + step.count
            : step.action === 'trim'
              ? stored - step.count
              : stored;
        expect(after).toBe(target);
        expect(reconcileStep(after, target)).toEqual({ action: 'exact' });
      }),
    );
  });
});

describe('ratePerSecond', () => {
  it('is codes per elapsed second, 0 before start', () => {
    const start = new Date('2024-01-01T00:00:00Z');
    expect(ratePerSecond(5_000, start, new Date('2024-01-01T00:00:02Z'))).toBe(2_500);
    expect(ratePerSecond(5_000, null, new Date())).toBe(0);
    expect(ratePerSecond(5_000, start, start)).toBe(0);
  });
});
