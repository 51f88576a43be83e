import { DomainError } from '@app/contracts';
import { AuthFailureLockout } from './auth-failure-lockout';
import {
  CounterContentionError,
  type BucketSpec,
  type CounterStore,
  type Step,
  type Transition,
} from './counter-store';
import { KnownLockouts } from './known-lockouts';
import { MemoryCounterStore } from './memory-counter-store';
import type { RateLimitOptions } from './rate-limit-options';

const OPTIONS: RateLimitOptions = {
  namespace: 'lockout-spec',
  rates: {},
  lockouts: { ip: { maxFailures: 3, windowMs: 60_000, lockoutMs: 30_000, maxLockoutMs: 120_000 } },
  store: { timeoutMs: 500, retryAfterMs: 1_000 },
};

/** The shared store of several "replicas", counting its round trips. */
class CountingStore implements CounterStore {
  calls = 0;
  private readonly inner = new MemoryCounterStore();
  apply<S, R>(bucket: BucketSpec, key: string, step: Step<S, R>): Promise<R> {
    this.calls++;
    return this.inner.apply(bucket, key, step);
  }
}

/** A store whose every write loses to another replica: steps run, nothing commits (as NatsKvCounterStore). */
class ContendedStore implements CounterStore {
  constructor(private readonly inner: CounterStore) {}
  async apply<S, R>(bucket: BucketSpec, key: string, step: Step<S, R>): Promise<R> {
    for (let round = 0; round < 20; round++) {
      const seen = await this.inner.apply<S, Transition<S, R>>(bucket, key, (current, now) => ({
        next: undefined,
        result: step(current, now),
      }));
      if (seen.next === undefined) return seen.result;
    }
    throw new CounterContentionError(bucket.name);
  }
}

const wrong = () => Promise.reject(new DomainError('unauthorized', 'bad token'));
const right = () => Promise.resolve('in');

async function outcome(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'ok';
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
}

describe('AuthFailureLockout.verify (credential first)', () => {
  it('checks a valid credential without a round trip to the shared store', async () => {
    const store = new CountingStore();
    const lockout = new AuthFailureLockout(OPTIONS, store);
    for (let i = 0; i < 5; i++) expect(await lockout.verify('ip', '10.0.0.1', right)).toBe('in');
    expect(store.calls).toBe(0);
  });

  it('locks out after 3 wrong ones, then refuses a valid one without checking it', async () => {
    const lockout = new AuthFailureLockout(OPTIONS, new CountingStore());
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await outcome(lockout.verify('ip', '10.0.0.2', wrong)));
    expect(outcomes).toEqual(['unauthorized', 'unauthorized', 'unauthorized']);
    const checked = jest.fn(right);
    expect(await outcome(lockout.verify('ip', '10.0.0.2', checked))).toBe('rate_limited');
    expect(checked).not.toHaveBeenCalled();
    expect(await lockout.verify('ip', '10.0.0.3', right)).toBe('in');
  });

  it('answers a wrong one rate_limited while locked out elsewhere, without counting it', async () => {
    const shared = new CountingStore();
    const a = new AuthFailureLockout(OPTIONS, shared, new KnownLockouts());
    const b = new AuthFailureLockout(OPTIONS, shared, new KnownLockouts());
    for (let i = 0; i < 3; i++) await outcome(a.verify('ip', '10.0.0.4', wrong));
    // B has not heard of the lockout (its watch has not delivered it): a valid credential passes,
    // the staleness the README states; a wrong one reads the shared store and is refused.
    expect(await b.verify('ip', '10.0.0.4', right)).toBe('in');
    const callsBefore = shared.calls;
    expect(await outcome(b.verify('ip', '10.0.0.4', wrong))).toBe('rate_limited');
    expect(shared.calls).toBe(callsBefore + 1);
    // Having read it, B refuses valid credentials too.
    expect(await outcome(b.verify('ip', '10.0.0.4', right))).toBe('rate_limited');
  });

  it('refuses valid credentials as soon as a lockout reaches KnownLockouts (the watch)', async () => {
    const known = new KnownLockouts();
    const lockout = new AuthFailureLockout(OPTIONS, new CountingStore(), known);
    known.note('ip', '10.0.0.5', Date.now() + 30_000);
    expect(await outcome(lockout.verify('ip', '10.0.0.5', right))).toBe('rate_limited');
  });

  it('learns no lockout from a write that never committed (contention)', async () => {
    const shared = new CountingStore();
    const known = new KnownLockouts();
    for (let i = 0; i < 2; i++)
      await outcome(new AuthFailureLockout(OPTIONS, shared).verify('ip', '10.0.0.7', wrong));
    // The third failure would lock the key out, but its write loses every compare-and-set round.
    const contended = new AuthFailureLockout(OPTIONS, new ContendedStore(shared), known);
    expect(await outcome(contended.verify('ip', '10.0.0.7', wrong))).toBe('unauthorized');
    expect(known.size).toBe(0);
    expect(await contended.verify('ip', '10.0.0.7', right)).toBe('in');
  });

  it('counts only the errors it is told to', async () => {
    const store = new CountingStore();
    const lockout = new AuthFailureLockout(OPTIONS, store);
    const broken = () => Promise.reject(new Error('key server down'));
    for (let i = 0; i < 5; i++)
      expect(await outcome(lockout.verify('ip', '10.0.0.6', broken))).toMatch(/down/);
    expect(store.calls).toBe(0);
    expect(await lockout.verify('ip', '10.0.0.6', right)).toBe('in');
  });
});
