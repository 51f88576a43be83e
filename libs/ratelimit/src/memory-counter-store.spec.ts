import { MemoryCounterStore } from './memory-counter-store';
import type { Step } from './counter-store';

const bucket = { name: 'b', ttlMs: 1_000 };
const increment: Step<number, number> = (current) => {
  const next = (current ?? 0) + 1;
  return { next, result: next };
};
const peek: Step<number, number | undefined> = (current) => ({ next: undefined, result: current });

describe('MemoryCounterStore', () => {
  it('keeps one state per bucket and key', async () => {
    const store = new MemoryCounterStore();
    expect(await store.apply(bucket, 'a', increment)).toBe(1);
    expect(await store.apply(bucket, 'a', increment)).toBe(2);
    expect(await store.apply(bucket, 'b', increment)).toBe(1);
    expect(await store.apply({ name: 'other', ttlMs: 1_000 }, 'a', increment)).toBe(1);
  });

  it('forgets a state ttlMs after its last write, not before', async () => {
    let now = 0;
    const store = new MemoryCounterStore(10, () => now);
    await store.apply(bucket, 'a', increment);
    now = 999;
    expect(await store.apply(bucket, 'a', peek)).toBe(1);
    now = 1_000;
    expect(await store.apply(bucket, 'a', peek)).toBeUndefined();
  });

  it('does not write when the step returns no next state', async () => {
    const store = new MemoryCounterStore();
    await store.apply(bucket, 'a', peek);
    expect(store.size).toBe(0);
  });

  it('stays within maxEntries, dropping the least recently written keys', async () => {
    const store = new MemoryCounterStore(3);
    for (const key of ['a', 'b', 'c']) await store.apply(bucket, key, increment);
    await store.apply(bucket, 'a', increment); // a is now the newest
    await store.apply(bucket, 'd', increment);
    expect(store.size).toBe(3);
    expect(await store.apply(bucket, 'b', peek)).toBeUndefined();
    expect(await store.apply(bucket, 'a', peek)).toBe(2);
    expect(await store.apply(bucket, 'd', peek)).toBe(1);
  });
});
