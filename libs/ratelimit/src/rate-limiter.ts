import { Inject, Injectable } from '@nestjs/common';
import type { DomainError } from '@app/contracts';
import { rateLimitItem, rateLimitPolicyItem } from './rate-limit-fields';
import { RATE_LIMIT_OPTIONS, type RateLimitOptions } from './rate-limit-options';
import { rateLimitedError } from './rate-limited.error';
import { RateLedger } from './rate-ledger';

/** One request counted against a policy: the response fields to send, and the refusal if over. */
export interface RateLimitVerdict {
  /** The policy's member of RateLimit-Policy, e.g. `"claimsPerUser";q=10;w=60`. */
  readonly policyField: string;
  /** Its member of RateLimit, e.g. `"claimsPerUser";r=9;t=6`. */
  readonly limitField: string;
  /** rate_limited (429 with Retry-After) when over the limit. */
  readonly refusal: DomainError | undefined;
}

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

  /** Counts one request of `key` against the policy; undefined when the policy is off. */
  decide(name: string, key: string): RateLimitVerdict | undefined {
    const policy = this.options.rates[name];
    const decision = this.ledger.take(name, key);
    if (!policy || !decision) return undefined;
    return {
      policyField: rateLimitPolicyItem(name, policy),
      limitField: rateLimitItem(name, decision),
      refusal: decision.allowed
        ? undefined
        : rateLimitedError(`Too many requests (${name})`, decision.retryAfterMs),
    };
  }

  /** Counts one request of `key` against the policy; throws rate_limited when it is over. */
  take(name: string, key: string): void {
    const refusal = this.decide(name, key)?.refusal;
    if (refusal) throw refusal;
  }
}
