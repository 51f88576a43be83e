import { Inject, Injectable } from '@nestjs/common';
import { RATE_LIMIT_OPTIONS, type RateLimitOptions } from './rate-limit-options';
import { rateLimitedError } from './rate-limited.error';
import { RateLedger } from './rate-ledger';

/**
 * Request limits (token buckets) shared by the replicas of a service and decided in this process:
 * a request costs a hash and a map update, never a round trip (RateLedger, SpendExchange).
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions,
    private readonly ledger: RateLedger,
  ) {}

  /** Fails start-up, rather than the first request, when a route names a policy nobody configured. */
  assertPolicy(name: string): void {
    if (!Object.hasOwn(this.options.rates, name)) {
      throw new Error(`Rate-limit policy "${name}" is not configured`);
    }
  }

  /** Counts one request of `key` against the policy; throws rate_limited when it is over. */
  take(name: string, key: string): void {
    const decision = this.ledger.take(name, key);
    if (decision && !decision.allowed)
      throw rateLimitedError(`Too many requests (${name})`, decision.retryAfterMs);
  }
}
