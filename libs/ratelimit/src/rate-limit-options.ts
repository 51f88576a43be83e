import type { LockoutPolicy } from './failure-lockout';
import type { RatePolicy } from './token-bucket';

export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');

export interface RateLimitOptions {
  /** Prefix of the shared buckets, e.g. "ratelimit-provider": one bucket per policy. */
  readonly namespace: string;
  /** Request limits by policy name; null switches one off. */
  readonly rates: Readonly<Record<string, RatePolicy | null>>;
  /** Failed-authentication lockouts by policy name; null switches one off. */
  readonly lockouts: Readonly<Record<string, LockoutPolicy | null>>;
  readonly store: {
    /** Per shared-store request: slower answers count as an outage. */
    readonly timeoutMs: number;
    /** While the shared store is down, how long to count locally before trying it again. */
    readonly retryAfterMs: number;
    /** Cap of each shared bucket in bytes (RATE_LIMIT_STORE_MAX_BYTES); default 16 MiB. */
    readonly maxBytes?: number;
  };
}
