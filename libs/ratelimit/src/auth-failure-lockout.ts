import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import {
  COUNTER_STORE,
  CounterContentionError,
  type BucketSpec,
  type CounterStore,
  type Step,
} from './counter-store';
import {
  lockoutStateTtlMs,
  lockoutStatus,
  recordFailure,
  type LockoutPolicy,
  type LockoutState,
  type LockoutStatus,
} from './failure-lockout';
import { RATE_LIMIT_OPTIONS, type RateLimitOptions } from './rate-limit-options';
import { rateLimitedError } from './rate-limited.error';

export interface AttemptOptions {
  /**
   * Clear the key's failures when the attempt succeeds. Right for a key that names the account
   * (user + IP): whoever succeeds knows the secret. Wrong for an IP alone: one valid key of their
   * own would let a caller wipe the record of their guesses at everyone else's.
   */
  readonly resetOnSuccess?: boolean;
  /**
   * Which errors of `authenticate` are guesses to count; by default every `unauthorized` one.
   * An expired token or an unreachable key server says nothing about the caller's guesses.
   */
  readonly countsAsFailure?: (error: unknown) => boolean;
}

const isUnauthorized = (error: unknown) => error instanceof DomainError && error.code === 'unauthorized';

/**
 * Lockout after repeated failed authentications, shared by the replicas of a service. The check
 * comes before the credentials are even looked at, so a locked-out caller learns nothing, and
 * costs nothing (no scrypt), until the lockout ends.
 */
@Injectable()
export class AuthFailureLockout {
  private readonly logger = new Logger(AuthFailureLockout.name);

  constructor(
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions,
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
  ) {}

  assertPolicy(name: string): void {
    if (!Object.hasOwn(this.options.lockouts, name)) {
      throw new Error(`Lockout policy "${name}" is not configured`);
    }
  }

  /**
   * Runs `authenticate` unless `key` is locked out (rate_limited with Retry-After); an error from
   * it that `countsAsFailure` (an `unauthorized` DomainError by default) counts against `key`.
   */
  async attempt<T>(
    name: string,
    key: string,
    authenticate: () => Promise<T>,
    options: AttemptOptions = {},
  ): Promise<T> {
    const policy = this.options.lockouts[name];
    if (!policy) return authenticate();
    const bucket = this.bucketOf(name, policy);
    const status = await this.apply(bucket, key, (current, now) => ({
      next: undefined,
      result: lockoutStatus(valid(current), now),
    }));
    if (status.locked) throw rateLimitedError('Too many failed authentications', status.retryAfterMs);

    let result: T;
    try {
      result = await authenticate();
    } catch (error) {
      if ((options.countsAsFailure ?? isUnauthorized)(error)) await this.fail(name, bucket, key, policy);
      throw error;
    }
    if (options.resetOnSuccess) {
      await this.apply(bucket, key, (current) => ({
        next: current && (current.failures > 0 || current.strikes > 0) ? CLEARED : undefined,
        result: { locked: false },
      }));
    }
    return result;
  }

  private async fail(name: string, bucket: BucketSpec, key: string, policy: LockoutPolicy): Promise<void> {
    let lockedNow: LockoutStatus;
    try {
      lockedNow = await this.store.apply<LockoutState, LockoutStatus>(bucket, key, (current, now) => {
        const before = valid(current);
        const { next, status } = recordFailure(before, now, policy);
        return { next, result: lockoutStatus(before, now).locked ? NOT_NEWLY_LOCKED : status };
      });
    } catch (error) {
      // The attempt is answered 401 either way; a failure lost to a burst on one key is tolerable.
      if (error instanceof CounterContentionError) return;
      throw error;
    }
    if (lockedNow.locked) {
      // The key is a user id and/or a client IP, never a credential; it is not needed here anyway.
      this.logger.warn(
        `${name}: locked out for ${Math.ceil(lockedNow.retryAfterMs / 1000)} s after repeated failures`,
      );
    }
  }

  /** Lost races on a key under a burst of attempts: treat the key as locked for a moment. */
  private async apply(
    bucket: BucketSpec,
    key: string,
    step: Step<LockoutState, LockoutStatus>,
  ): Promise<LockoutStatus> {
    try {
      return await this.store.apply(bucket, key, step);
    } catch (error) {
      if (error instanceof CounterContentionError) return { locked: true, retryAfterMs: 1_000 };
      throw error;
    }
  }

  private bucketOf(name: string, policy: LockoutPolicy): BucketSpec {
    return { name: `${this.options.namespace}-${name}`, ttlMs: lockoutStateTtlMs(policy) };
  }
}

const NOT_NEWLY_LOCKED: LockoutStatus = { locked: false };
const CLEARED: LockoutState = { failures: 0, strikes: 0, lastFailureAt: 0, lockedUntil: 0 };

function valid(value: LockoutState | undefined): LockoutState | undefined {
  if (!value) return undefined;
  const fields = [value.failures, value.strikes, value.lastFailureAt, value.lockedUntil];
  return fields.every(Number.isFinite) ? value : undefined;
}
