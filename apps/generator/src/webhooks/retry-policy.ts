/** What one HTTP attempt came to, in terms the retry policy decides on. */
export type AttemptResult =
  | { readonly kind: 'response'; readonly statusCode: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'connection_error'; readonly code: string }
  /** The URL's host resolved to a forbidden address (SSRF policy): retrying cannot help. */
  | { readonly kind: 'blocked'; readonly reason: string }
  | { readonly kind: 'invalid_url'; readonly reason: string };

export function isSuccess(result: AttemptResult): boolean {
  return result.kind === 'response' && result.statusCode >= 200 && result.statusCode < 300;
}

/**
 * Worth another try: the receiver is down, overloaded or slow (5xx, 408, 429, timeouts,
 * connection errors). Other 4xx mean the receiver refuses this request and will keep doing so;
 * redirects are not followed (the target would escape the URL check), so they count as refusals.
 */
export function isRetryable(result: AttemptResult): boolean {
  switch (result.kind) {
    case 'response':
      return result.statusCode >= 500 || result.statusCode === 408 || result.statusCode === 429;
    case 'timeout':
    case 'connection_error':
      return true;
    case 'blocked':
    case 'invalid_url':
      return false;
  }
}

export function describeResult(result: AttemptResult): string {
  switch (result.kind) {
    case 'response':
      return `HTTP ${result.statusCode}`;
    case 'timeout':
      return 'timeout';
    case 'connection_error':
      return `connection error ${result.code}`;
    case 'blocked':
      return `blocked: ${result.reason}`;
    case 'invalid_url':
      return `invalid URL: ${result.reason}`;
  }
}

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniformly random delay in [0, min(max, base·2^(n-1))]
 * after the n-th failed attempt, so retries of many deliveries that failed together (one
 * receiver's outage) spread out instead of arriving in waves.
 */
export function backoffDelayMs(
  failedAttempts: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 52);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.floor(random() * (ceiling + 1));
}

export interface RetryLimits {
  readonly maxAttempts: number;
  readonly maxAgeMs: number;
}

export type NextStep =
  | { readonly action: 'delivered' }
  | { readonly action: 'retry'; readonly at: Date }
  | { readonly action: 'dead'; readonly reason: string };

/** What happens after an attempt: done, another try at a given time, or the dead-letter state. */
export function nextStep(
  result: AttemptResult,
  attemptsInCycle: number,
  cycleStartedAt: Date,
  now: Date,
  limits: RetryLimits & BackoffPolicy,
  random: () => number = Math.random,
): NextStep {
  if (isSuccess(result)) return { action: 'delivered' };
  const what = describeResult(result);
  if (!isRetryable(result)) return { action: 'dead', reason: `${what} (not retried)` };
  if (attemptsInCycle >= limits.maxAttempts) {
    return { action: 'dead', reason: `${what} after ${attemptsInCycle} attempts` };
  }
  const at = new Date(now.getTime() + backoffDelayMs(attemptsInCycle, limits, random));
  if (at.getTime() - cycleStartedAt.getTime() > limits.maxAgeMs) {
    return { action: 'dead', reason: `${what}; the next attempt would be past the maximum age` };
  }
  return { action: 'retry', at };
}
