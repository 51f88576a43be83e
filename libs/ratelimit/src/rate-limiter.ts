import { Inject, Injectable } from '@nestjs/common';
import { COUNTER_STORE, CounterContentionError, type BucketSpec, type CounterStore } from './counter-store';
import { RATE_LIMIT_OPTIONS, type RateLimitOptions } from './rate-limit-options';
import { rateLimitedError } from './rate-limited.error';
import {
  bucketStateTtlMs,
  takeToken,
  type BucketState,
  type RatePolicy,
  type TakeDecision,
} from './token-bucket';

/** Lost compare-and-set races mean a burst on one key: ask the caller to come back shortly. */
const CONTENTION_RETRY_MS = 1_000;

/** Request limits (token buckets) shared by the replicas of a service. */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions,
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
  ) {}

  /** Fails start-up, rather than the first request, when a route names a policy nobody configured. */
  assertPolicy(name: string): void {
    if (!Object.hasOwn(this.options.rates, name)) {
      throw new Error(`Rate-limit policy "${name}" is not configured`);
    }
  }

  /** Counts one request of `key` against the policy; throws rate_limited when it is over. */
  async take(name: string, key: string): Promise<void> {
    const policy = this.options.rates[name];
    if (!policy) return;
    const decision = await this.decide(this.bucketOf(name, policy), key, policy);
    if (!decision.allowed) throw rateLimitedError(`Too many requests (${name})`, decision.retryAfterMs);
  }

  private async decide(bucket: BucketSpec, key: string, policy: RatePolicy): Promise<TakeDecision> {
    try {
      return await this.store.apply<BucketState, TakeDecision>(bucket, key, (current, now) => {
        const { next, decision } = takeToken(validState(current), now, policy);
        return { next, result: decision };
      });
    } catch (error) {
      if (error instanceof CounterContentionError)
        return { allowed: false, retryAfterMs: CONTENTION_RETRY_MS };
      throw error;
    }
  }

  private bucketOf(name: string, policy: RatePolicy): BucketSpec {
    return { name: `${this.options.namespace}-${name}`, ttlMs: bucketStateTtlMs(policy) };
  }
}

/** Whatever is stored is checked: a malformed state must not turn into "no limit". */
function validState(value: BucketState | undefined): BucketState | undefined {
  return value && Number.isSafeInteger(value.tat) && Number.isSafeInteger(value.frac) ? value : undefined;
}
