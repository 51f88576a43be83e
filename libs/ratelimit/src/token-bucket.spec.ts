import fc from 'fast-check';
import { addSpends, emissionIntervalMs, takeToken, type BucketState, type RatePolicy } from './token-bucket';

const T0 = 1_700_000_000_000;

/** Runs requests at the given times; returns the times that were allowed. */
function run(policy: RatePolicy, times: readonly number[]): number[] {
  let state: BucketState | undefined;
  const allowed: number[] = [];
  for (const t of times) {
    const { decision, next } = takeToken(state, t, policy);
    if (decision.allowed) allowed.push(t);
    state = next ?? state;
  }
  return allowed;
}

const policyArb = fc.record({
  limit: fc.integer({ min: 1, max: 50 }),
  windowMs: fc.integer({ min: 1_000, max: 3_600_000 }),
});

describe('takeToken (GCRA token bucket)', () => {
  it('allows exactly `limit` requests at one instant, then refuses', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const times = Array.from({ length: policy.limit + 3 }, () => T0);
        expect(run(policy, times)).toHaveLength(policy.limit);
      }),
    );
  });

  it('counts down `remaining` to 0 on the last allowed request', () => {
    const policy = { limit: 3, windowMs: 60_000 };
    let state: BucketState | undefined;
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { decision, next } = takeToken(state, T0, policy);
      if (!decision.allowed) throw new Error('expected allowed');
      remaining.push(decision.remaining);
      state = next;
    }
    expect(remaining).toEqual([2, 1, 0]);
  });

  it('says when one more request comes back: the interval after a first request (claims 10/1m: 6 s)', () => {
    const { decision } = takeToken(undefined, T0, { limit: 10, windowMs: 60_000 });
    expect(decision).toStrictEqual({ allowed: true, remaining: 9, refillMs: 6_000 });
  });

  it('refillMs is exact: `remaining` is all that passes before it, one more passes at it', () => {
    /** How many of `count` requests at instant `at` pass, from `state`. */
    const passing = (state: BucketState | undefined, at: number, count: number, policy: RatePolicy) => {
      let passed = 0;
      for (let i = 0; i < count; i++) {
        const { decision, next } = takeToken(state, at, policy);
        if (decision.allowed) passed += 1;
        state = next ?? state;
      }
      return passed;
    };
    fc.assert(
      fc.property(
        policyArb,
        fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 60 }),
        (policy, offsets) => {
          let state: BucketState | undefined;
          for (const t of offsets.map((o) => T0 + o).sort((a, b) => a - b)) {
            const { decision, next } = takeToken(state, t, policy);
            state = next ?? state;
            if (!decision.allowed) continue;
            expect(decision.refillMs).toBeGreaterThan(0);
            const due = t + Math.ceil(decision.refillMs);
            if (due - 1 > t)
              expect(passing(state, due - 1, decision.remaining + 1, policy)).toBe(decision.remaining);
            expect(passing(state, due, decision.remaining + 1, policy)).toBe(decision.remaining + 1);
          }
        },
      ),
    );
  });

  it('never lets more than limit + floor(d / interval) requests through in any stretch of length d', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(fc.integer({ min: 0, max: 7_200_000 }), { minLength: 1, maxLength: 300 }),
        (policy, offsets) => {
          const times = offsets.map((o) => T0 + o).sort((a, b) => a - b);
          const allowed = run(policy, times);
          for (let i = 0; i < allowed.length; i++) {
            for (let j = i; j < allowed.length; j++) {
              const d = allowed[j]! - allowed[i]!;
              // d / interval = d × limit / windowMs, in integers to stay exact.
              expect(j - i + 1).toBeLessThanOrEqual(
                policy.limit + Math.floor((d * policy.limit) / policy.windowMs),
              );
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never refuses a client that keeps to the average rate', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 200 }), (policy, count) => {
        const interval = emissionIntervalMs(policy);
        const times = Array.from({ length: count }, (_, i) => T0 + Math.ceil(i * interval));
        expect(run(policy, times)).toHaveLength(count);
      }),
    );
  });

  it('gives an exact retry-after: refused 1 ms before it, allowed at it', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 10 }), (policy, extra) => {
        let state: BucketState | undefined;
        for (let i = 0; i < policy.limit + extra; i++) state = takeToken(state, T0, policy).next ?? state;
        const refused = takeToken(state, T0, policy).decision;
        if (refused.allowed) throw new Error('expected a refusal after the burst');
        const wait = Math.ceil(refused.retryAfterMs);
        expect(wait).toBeGreaterThan(0);
        expect(takeToken(state, T0 + wait, policy).decision.allowed).toBe(true);
        if (wait > 1) expect(takeToken(state, T0 + wait - 2, policy).decision.allowed).toBe(false);
      }),
    );
  });

  it('does not change the state when it refuses', () => {
    const policy = { limit: 1, windowMs: 10_000 };
    const first = takeToken(undefined, T0, policy);
    const second = takeToken(first.next, T0 + 1, policy);
    expect(second.decision.allowed).toBe(false);
    expect(second.next).toBeUndefined();
  });

  it('forgets everything after one idle window: the full burst is back', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const burst = Array.from({ length: policy.limit * 2 }, () => T0);
        const later = Array.from({ length: policy.limit + 1 }, () => T0 + policy.windowMs);
        const allowed = run(policy, [...burst, ...later]);
        expect(allowed.filter((t) => t === T0 + policy.windowMs)).toHaveLength(policy.limit);
      }),
    );
  });
});

describe('takeToken at the configuration extremes', () => {
  it('stays exact with a million per day (intervals of 86.4 ms)', () => {
    const policy = { limit: 1_000_000, windowMs: 86_400_000 };
    let state: BucketState | undefined;
    let allowed = 0;
    for (let i = 0; i < 1_000_005; i++) {
      const { decision, next } = takeToken(state, T0, policy);
      if (decision.allowed) allowed++;
      state = next ?? state;
    }
    expect(allowed).toBe(1_000_000);
  });
});

describe('addSpends (requests another replica admitted)', () => {
  it('leaves limit − n for this replica after n admitted elsewhere at the same instant', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 60 }), (policy, spent) => {
        const n = Math.min(spent, policy.limit);
        const state = n > 0 ? addSpends(undefined, n, T0, policy) : undefined;
        let allowed = 0;
        let current = state;
        for (let i = 0; i < policy.limit + 2; i++) {
          const { decision, next } = takeToken(current, T0, policy);
          if (decision.allowed) allowed++;
          current = next ?? current;
        }
        expect(allowed).toBe(policy.limit - n);
      }),
    );
  });

  it('never counts less than admitting the same requests one by one (spends dated at the last one)', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 600_000 }),
        (policy, offsets, startOffset) => {
          const start = takeToken(undefined, T0 + startOffset, policy).next;
          const times = offsets.map((o) => T0 + o).sort((a, b) => a - b);
          let oneByOne = start;
          for (const t of times) oneByOne = addSpends(oneByOne, 1, t, policy);
          const batched = addSpends(start, times.length, times.at(-1)!, policy);
          const position = (s: BucketState) => s.tat * policy.limit + s.frac;
          expect(position(batched)).toBeGreaterThanOrEqual(position(oneByOne!));
        },
      ),
    );
  });

  it('carries a debt of at most one window beyond a full bucket, and it is paid back', () => {
    const policy = { limit: 3, windowMs: 60_000 };
    const state = addSpends(undefined, 100, T0, policy);
    expect(state.tat).toBe(T0 + 2 * policy.windowMs);
    const refused = takeToken(state, T0, policy).decision;
    // A full bucket would wait 20 s for a token; this one also waits out the extra window.
    expect(refused).toEqual({ allowed: false, retryAfterMs: 80_000 });
    expect(takeToken(state, T0 + 80_000, policy).decision.allowed).toBe(true);
  });
});
