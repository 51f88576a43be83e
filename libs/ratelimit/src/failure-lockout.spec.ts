import fc from 'fast-check';
import {
  lockoutStateTtlMs,
  lockoutStatus,
  recordFailure,
  type LockoutPolicy,
  type LockoutState,
} from './failure-lockout';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const policy: LockoutPolicy = {
  maxFailures: 3,
  windowMs: 15 * MINUTE,
  lockoutMs: MINUTE,
  maxLockoutMs: 8 * MINUTE,
};

function fail(state: LockoutState | undefined, at: number, p = policy) {
  return recordFailure(state, at, p);
}

describe('failure lockout', () => {
  it('is unlocked with no state', () => {
    expect(lockoutStatus(undefined, T0)).toEqual({ locked: false });
  });

  it('locks on the maxFailures-th failure, for lockoutMs', () => {
    let state: LockoutState | undefined;
    for (let i = 0; i < 2; i++) {
      const r = fail(state, T0 + i * 1000);
      expect(r.status.locked).toBe(false);
      state = r.next;
    }
    const third = fail(state, T0 + 2000);
    expect(third.status).toEqual({ locked: true, retryAfterMs: MINUTE });
    expect(lockoutStatus(third.next, T0 + 2000 + MINUTE - 1)).toEqual({ locked: true, retryAfterMs: 1 });
    expect(lockoutStatus(third.next, T0 + 2000 + MINUTE)).toEqual({ locked: false });
  });

  it('doubles the lockout for each further streak of failures, up to maxLockoutMs', () => {
    let state: LockoutState | undefined;
    let now = T0;
    const durations: number[] = [];
    for (let lockout = 0; lockout < 6; lockout++) {
      for (let i = 0; i < policy.maxFailures; i++) {
        const r = fail(state, now);
        state = r.next;
        if (r.status.locked) {
          durations.push(r.status.retryAfterMs);
          now += r.status.retryAfterMs;
        } else {
          now += 1000;
        }
      }
    }
    expect(durations.map((d) => d / MINUTE)).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it('starts over after a quiet window since the last failure or lockout', () => {
    const locked = fail(fail(fail(undefined, T0).next, T0).next, T0).next;
    const lockedUntil = T0 + MINUTE;
    expect(lockoutStatus(locked, lockedUntil)).toEqual({ locked: false });
    // Just inside the window after the lockout: the streak continues and the next lockout is longer.
    const inside = fail(
      fail(fail(locked, lockedUntil + policy.windowMs - 1).next, lockedUntil + policy.windowMs).next,
      lockedUntil + policy.windowMs,
    );
    expect(inside.status).toEqual({ locked: true, retryAfterMs: 2 * MINUTE });
    // A whole window of quiet: a fresh streak, the first failure does not lock.
    const after = fail(locked, lockedUntil + policy.windowMs);
    expect(after.next).toMatchObject({ failures: 1, strikes: 0 });
  });

  it('catches slow guessing: failures just under a window apart still add up', () => {
    let state: LockoutState | undefined;
    let status;
    for (let i = 0; i < policy.maxFailures; i++) {
      ({ next: state, status } = fail(state, T0 + i * (policy.windowMs - 1)));
    }
    expect(status?.locked).toBe(true);
  });

  it('never shortens a lockout already in force (failures racing past the check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 * MINUTE }), { maxLength: 40 }), (offsets) => {
        let state: LockoutState | undefined;
        for (const at of offsets.map((o) => T0 + o).sort((a, b) => a - b)) {
          const before = state?.lockedUntil ?? 0;
          state = fail(state, at).next;
          if (before > at) expect(state.lockedUntil).toBeGreaterThanOrEqual(before);
        }
      }),
    );
  });

  it('locks exactly every maxFailures-th consecutive failure within a streak', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 40 }), (maxFailures, n) => {
        const p = { ...policy, maxFailures };
        let state: LockoutState | undefined;
        let locks = 0;
        for (let i = 0; i < n; i++) {
          const r = fail(state, T0 + i, p);
          if (r.next.strikes > (state?.strikes ?? 0)) locks++;
          state = r.next;
        }
        expect(locks).toBe(Math.floor(n / maxFailures));
      }),
    );
  });

  it('keeps state as long as a streak can matter', () => {
    expect(lockoutStateTtlMs(policy)).toBe(23 * MINUTE);
  });
});
