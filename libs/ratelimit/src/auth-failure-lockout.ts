import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
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
  validLockoutState,
  type LockoutPolicy,
  type LockoutState,
  type LockoutStatus,
} from './failure-lockout';
import { KnownLockouts } from './known-lockouts';
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
 * Lockout after repeated failed authentications, shared by the replicas of a service through the
 * counter store, with the lockouts known here kept in memory too (KnownLockouts). Two ways in:
 *
 * - attempt: the shared store is asked before the credentials are even looked at, so a
 *   locked-out caller learns nothing and costs nothing (no scrypt) until the lockout ends.
 * - verify, for credentials that are cheap to check (JWTs, tokens): the credential first, and the
 *   shared store only when it is wrong. A valid credential costs no round trip: it is refused
 *   when this replica knows the key is locked out, which it does at once for lockouts it
 *   recorded or read, and for the other replicas' as soon as their write reaches it
 *   (LockoutWatch: one NATS delivery). A wrong one reads the shared store, so it is refused
 *   (429, not 401) on every replica from the moment the lockout is recorded.
 */
@Injectable()
export class AuthFailureLockout {
  private readonly logger = new Logger(AuthFailureLockout.name);
  private readonly known: KnownLockouts;

  constructor(
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions,
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
    @Optional() known?: KnownLockouts,
  ) {
    this.known = known ?? new KnownLockouts();
  }

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
    this.refuseKnown(name, key);
    const bucket = this.bucketOf(name, policy);
    const status = await this.apply(bucket, key, (current, now) => {
      const state = validLockoutState(current);
      return {
        next: undefined,
        result: { ...lockoutStatus(state, now), lockedUntil: state?.lockedUntil ?? 0 },
      };
    });
    // Noted once the store answered, never from inside the step (which may run again).
    if (status.lockedUntil !== undefined) this.known.note(name, key, status.lockedUntil);
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
      this.known.note(name, key, 0);
    }
    return result;
  }

  /**
   * Runs `authenticate` first and consults the shared store only when it fails with an error that
   * `countsAsFailure`: that failure is counted, and answered rate_limited instead when the key
   * was already locked out. A key this replica knows to be locked out is refused without running
   * `authenticate` at all. Not for secrets that are slow to check (scrypt): use attempt.
   */
  async verify<T>(
    name: string,
    key: string,
    authenticate: () => Promise<T>,
    options: Pick<AttemptOptions, 'countsAsFailure'> = {},
  ): Promise<T> {
    const policy = this.options.lockouts[name];
    if (!policy) return authenticate();
    this.refuseKnown(name, key);
    try {
      return await authenticate();
    } catch (error) {
      if (!(options.countsAsFailure ?? isUnauthorized)(error)) throw error;
      const before = await this.fail(name, this.bucketOf(name, policy), key, policy);
      if (before.locked) throw rateLimitedError('Too many failed authentications', before.retryAfterMs);
      throw error;
    }
  }

  private refuseKnown(name: string, key: string): void {
    const retryAfterMs = this.known.retryAfterMs(name, key);
    if (retryAfterMs > 0) throw rateLimitedError('Too many failed authentications', retryAfterMs);
  }

  /**
   * Counts a failure unless the key is locked out already (failures while locked out are not
   * counted: they were refused unchecked before verify existed, and must not lengthen the
   * lockout). Returns the status before this failure.
   */
  private async fail(
    name: string,
    bucket: BucketSpec,
    key: string,
    policy: LockoutPolicy,
  ): Promise<LockoutStatus> {
    let outcome: { before: LockoutStatus; after: LockoutStatus; lockedUntil: number };
    try {
      // The step may run several times (compare-and-set rounds) and its write may never commit:
      // KnownLockouts learns the key's state only from the round the store settled on.
      outcome = await this.store.apply<LockoutState, typeof outcome>(bucket, key, (current, now) => {
        const before = validLockoutState(current);
        const beforeStatus = lockoutStatus(before, now);
        if (beforeStatus.locked) {
          return {
            next: undefined,
            result: { before: beforeStatus, after: beforeStatus, lockedUntil: before!.lockedUntil },
          };
        }
        const { next, status } = recordFailure(before, now, policy);
        return { next, result: { before: beforeStatus, after: status, lockedUntil: next.lockedUntil } };
      });
    } catch (error) {
      // The attempt is answered 401 either way; a failure lost to a burst on one key is tolerable.
      if (error instanceof CounterContentionError) return { locked: false };
      throw error;
    }
    this.known.note(name, key, outcome.lockedUntil);
    if (!outcome.before.locked && outcome.after.locked) {
      // The key is a user id and/or a client IP, never a credential; it is not needed here anyway.
      this.logger.warn(
        `${name}: locked out for ${Math.ceil(outcome.after.retryAfterMs / 1000)} s after repeated failures`,
      );
    }
    return outcome.before;
  }

  /**
   * Lost races on a key under a burst of attempts: treat the key as locked for a moment (without
   * `lockedUntil`: that moment is not a lockout of the shared store, and is not noted).
   */
  private async apply(
    bucket: BucketSpec,
    key: string,
    step: Step<LockoutState, LockoutStatus & { readonly lockedUntil?: number }>,
  ): Promise<LockoutStatus & { readonly lockedUntil?: number }> {
    try {
      return await this.store.apply(bucket, key, step);
    } catch (error) {
      if (error instanceof CounterContentionError) return { locked: true, retryAfterMs: 1_000 };
      throw error;
    }
  }

  private bucketOf(name: string, policy: LockoutPolicy): BucketSpec {
    return lockoutBucketOf(this.options.namespace, name, policy);
  }
}

/** The shared bucket of a lockout policy: states matter until a quiet window after the longest lockout. */
export function lockoutBucketOf(namespace: string, name: string, policy: LockoutPolicy): BucketSpec {
  return { name: `${namespace}-${name}`, ttlMs: lockoutStateTtlMs(policy) };
}

const CLEARED: LockoutState = { failures: 0, strikes: 0, lastFailureAt: 0, lockedUntil: 0 };
