/**
 * A token bucket in its GCRA form ("generic cell rate algorithm"): the whole state is one
 * timestamp, so a shared store can update it with a single compare-and-set, and the time until
 * the next allowed request (Retry-After) is exact rather than "the end of some window".
 *
 * A policy of `limit` per `windowMs` allows a burst of `limit` requests at once and then one
 * request every windowMs / limit. Over any stretch of time d, at most limit + floor(d / interval)
 * requests pass; a client that keeps to the average rate is never refused.
 */
export interface RatePolicy {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * The theoretical arrival time (when the bucket would be full again) as whole milliseconds plus
 * `frac` / limit of a millisecond. The interval windowMs / limit is rarely a whole number, and
 * floating-point sums of it drift enough to let one request too many through a burst, so all the
 * arithmetic is in integer units of 1 / limit ms.
 */
export interface BucketState {
  readonly tat: number;
  readonly frac: number;
}

export type TakeDecision =
  | {
      readonly allowed: true;
      readonly remaining: number;
      /** Until one more request is allowed: `remaining` is all the client may use before then. */
      readonly refillMs: number;
    }
  | { readonly allowed: false; readonly retryAfterMs: number };

export interface TakeResult {
  readonly decision: TakeDecision;
  /** The state to store; undefined when a refusal leaves it as it was. */
  readonly next: BucketState | undefined;
}

export function emissionIntervalMs(policy: RatePolicy): number {
  return policy.windowMs / policy.limit;
}

/** `now` is whole milliseconds (Date.now()). */
export function takeToken(state: BucketState | undefined, now: number, policy: RatePolicy): TakeResult {
  const { limit, windowMs } = policy;
  // In units of 1 / limit ms: one request costs windowMs units, a full burst windowMs × limit.
  const burstTolerance = windowMs * (limit - 1);
  const ahead = state && state.tat >= now ? (state.tat - now) * limit + state.frac : 0;
  if (ahead > burstTolerance) {
    // A refusal does not consume: a client that waits Retry-After is served.
    return { decision: { allowed: false, retryAfterMs: (ahead - burstTolerance) / limit }, next: undefined };
  }
  const nextAhead = ahead + windowMs;
  const slack = burstTolerance - nextAhead;
  const remaining = Math.max(0, Math.floor(slack / windowMs) + 1);
  // `remaining` grows by one when the slack reaches remaining × windowMs units.
  const refillMs = (remaining * windowMs - slack) / limit;
  return {
    decision: { allowed: true, remaining, refillMs },
    next: { tat: now + Math.floor(nextAhead / limit), frac: nextAhead % limit },
  };
}

/**
 * How far ahead of now spends made elsewhere may push a state: one window beyond a full bucket.
 * Replicas that admitted a burst at once each within the limit owe the excess; it is paid back
 * (later requests refused) up to this much, and forgiven beyond it.
 */
const MAX_DEBT_WINDOWS = 2;

/**
 * Counts `count` requests that another replica has already admitted, the last of them at `at`,
 * without checking the limit (they were served). Taking all of them as made at `at` never counts
 * less than the bucket would have, had it seen them one by one: a full bucket refills no more in
 * the meantime, and every request costs one interval either way.
 */
export function addSpends(
  state: BucketState | undefined,
  count: number,
  at: number,
  policy: RatePolicy,
): BucketState {
  const { limit, windowMs } = policy;
  const ahead = state && state.tat >= at ? (state.tat - at) * limit + state.frac : 0;
  const nextAhead = Math.min(ahead + count * windowMs, MAX_DEBT_WINDOWS * windowMs * limit);
  return { tat: at + Math.floor(nextAhead / limit), frac: nextAhead % limit };
}

/** How long a stored state matters: after this it equals an empty bucket, even one in debt. */
export function bucketStateTtlMs(policy: RatePolicy): number {
  return MAX_DEBT_WINDOWS * policy.windowMs;
}
