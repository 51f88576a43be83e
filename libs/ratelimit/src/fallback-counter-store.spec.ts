import { Logger } from '@nestjs/common';
import { CounterContentionError, type BucketSpec, type CounterStore, type Step } from './counter-store';
import { FallbackCounterStore } from './fallback-counter-store';
import { MemoryCounterStore } from './memory-counter-store';

const bucket: BucketSpec = { name: 'b', ttlMs: 60_000 };
const increment: Step<number, number> = (current) => {
  const next = (current ?? 0) + 1;
  return { next, result: next };
};

/** A shared store that can be switched off, counting how often it was asked. */
class SwitchableStore implements CounterStore {
  readonly memory = new MemoryCounterStore();
  up = true;
  calls = 0;
  failWith: Error = new Error('TIMEOUT');

  apply<S, R>(spec: BucketSpec, key: string, step: Step<S, R>): Promise<R> {
    this.calls++;
    return this.up ? this.memory.apply(spec, key, step) : Promise.reject(this.failWith);
  }
}

describe('FallbackCounterStore', () => {
  let now: number;
  let shared: SwitchableStore;
  let store: FallbackCounterStore;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    now = 0;
    shared = new SwitchableStore();
    store = new FallbackCounterStore(shared, new MemoryCounterStore(), {
      retryAfterMs: 5_000,
      clock: () => now,
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it('uses the shared store while it answers', async () => {
    expect(await store.apply(bucket, 'k', increment)).toBe(1);
    expect(await store.apply(bucket, 'k', increment)).toBe(2);
    expect(store.degraded).toBe(false);
  });

  it('counts locally once the shared store fails, without asking it again until retryAfterMs', async () => {
    await store.apply(bucket, 'k', increment);
    shared.up = false;
    expect(await store.apply(bucket, 'k', increment)).toBe(1); // local count starts afresh
    expect(store.degraded).toBe(true);
    const callsWhenDown = shared.calls;
    now = 4_999;
    expect(await store.apply(bucket, 'k', increment)).toBe(2);
    expect(shared.calls).toBe(callsWhenDown);
  });

  it('goes back to the shared store when it answers again', async () => {
    await store.apply(bucket, 'k', increment);
    shared.up = false;
    await store.apply(bucket, 'k', increment);
    shared.up = true;
    now = 5_000;
    expect(await store.apply(bucket, 'k', increment)).toBe(2); // the shared count continues
    expect(store.degraded).toBe(false);
  });

  it('keeps counting locally when the retry finds the shared store still down', async () => {
    shared.up = false;
    await store.apply(bucket, 'k', increment);
    now = 5_000;
    expect(await store.apply(bucket, 'k', increment)).toBe(2);
    expect(store.degraded).toBe(true);
    now = 9_999;
    const calls = shared.calls;
    await store.apply(bucket, 'k', increment);
    expect(shared.calls).toBe(calls);
  });

  it('passes contention through: it is an answer of the shared store, not an outage', async () => {
    shared.up = false;
    shared.failWith = new CounterContentionError('b');
    await expect(store.apply(bucket, 'k', increment)).rejects.toBeInstanceOf(CounterContentionError);
    expect(store.degraded).toBe(false);
  });
});
