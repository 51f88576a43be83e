/**
 * Lockout after repeated failed authentications, with exponential backoff: `maxFailures`
 * failures with no quiet gap of `windowMs` between them lock the key for `lockoutMs`; each
 * further lockout before a quiet gap doubles it, up to `maxLockoutMs`. Failures spaced just under
 * the window apart therefore still add up: slow guessing is caught too.
 */
export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
  readonly maxLockoutMs: number;
}

export interface LockoutState {
  readonly failures: number;
  /** Lockouts so far in this streak: the exponent of the backoff. */
  readonly strikes: number;
  readonly lastFailureAt: number;
  readonly lockedUntil: number;
}

export type LockoutStatus =
  { readonly locked: false } | { readonly locked: true; readonly retryAfterMs: number };

const FRESH: LockoutState = { failures: 0, strikes: 0, lastFailureAt: 0, lockedUntil: 0 };

export function lockoutStatus(state: LockoutState | undefined, now: number): LockoutStatus {
  if (!state || state.lockedUntil <= now) return { locked: false };
  return { locked: true, retryAfterMs: state.lockedUntil - now };
}

/** A quiet gap of a whole window (after the last failure or lockout) starts a new streak. */
function current(state: LockoutState | undefined, now: number, policy: LockoutPolicy): LockoutState {
  if (!state) return FRESH;
  const quietSince = Math.max(state.lastFailureAt, state.lockedUntil);
  return now - quietSince >= policy.windowMs ? FRESH : state;
}

export function recordFailure(
  state: LockoutState | undefined,
  now: number,
  policy: LockoutPolicy,
): { readonly next: LockoutState; readonly status: LockoutStatus } {
  const streak = current(state, now, policy);
  const failures = streak.failures + 1;
  if (failures < policy.maxFailures) {
    const next = { ...streak, failures, lastFailureAt: now };
    return { next, status: lockoutStatus(next, now) };
  }
  const duration = Math.min(policy.lockoutMs * 2 ** streak.strikes, policy.maxLockoutMs);
  const next: LockoutState = {
    failures: 0,
    strikes: streak.strikes + 1,
    lastFailureAt: now,
    // Concurrent failures that slipped past the check must not shorten a lockout.
    lockedUntil: Math.max(streak.lockedUntil, now + duration),
  };
  return { next, status: lockoutStatus(next, now) };
}

/** How long a stored state matters: a streak ends a window after its last lockout at the latest. */
export function lockoutStateTtlMs(policy: LockoutPolicy): number {
  return policy.windowMs + policy.maxLockoutMs;
}

/** Whatever is stored is checked: a malformed state must not turn into "never locked". */
export function validLockoutState(value: unknown): LockoutState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { failures, strikes, lastFailureAt, lockedUntil } = value as Partial<LockoutState>;
  const fields = [failures, strikes, lastFailureAt, lockedUntil];
  return fields.every(Number.isFinite) ? (value as LockoutState) : undefined;
}
