import type { LockoutPolicy } from './failure-lockout';
import type { RatePolicy } from './token-bucket';

export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');

export interface RateLimitOptions {
  /** Prefix of the lockout buckets (one per policy) and of the request limits' stream, e.g. "ratelimit-provider". */
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
    /**
     * How often each replica sends the requests it admitted to the others (RATE_LIMIT_SYNC_MS):
     * the unit of the limits' staleness bound (rate-ledger.ts); default 100 ms.
     */
    readonly syncIntervalMs?: number;
  };
}
