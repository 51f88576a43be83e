import { PromiseCache } from './promise-cache';

function cacheAt(clock: { now: number }, maxEntries = 10) {
  return new PromiseCache<string>({ ttlMs: 1_000, maxEntries, now: () => clock.now });
}

describe('PromiseCache', () => {
  it('serves a loaded value until ttlMs has passed, then loads it again', async () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    const load = jest.fn((value: string) => Promise.resolve(value));
    expect(await cache.get('acme', () => load('v1'))).toBe('v1');
    clock.now = 999;
    expect(await cache.get('acme', () => load('v2'))).toBe('v1');
    clock.now = 1_000;
    expect(await cache.get('acme', () => load('v2'))).toBe('v2');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('peeks at a fresh value without loading, and at nothing once it is stale or unknown', async () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    expect(cache.peek('acme')).toBeUndefined();
    cache.set('acme', 'v1');
    expect(await cache.peek('acme')).toBe('v1');
    clock.now = 1_000;
    expect(cache.peek('acme')).toBeUndefined();
  });

  it('lets concurrent callers share one load', async () => {
    const cache = cacheAt({ now: 0 });
    let loads = 0;
    const load = () => new Promise<string>((resolve) => setImmediate(() => resolve(`load ${++loads}`)));
    expect(await Promise.all([1, 2, 3].map(() => cache.get('acme', load)))).toEqual([
      'load 1',
      'load 1',
      'load 1',
    ]);
  });

  it('forgets a failed load, so the next call tries again', async () => {
    const cache = cacheAt({ now: 0 });
    await expect(cache.get('acme', () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
    expect(await cache.get('acme', () => Promise.resolve('back'))).toBe('back');
  });

  it('serves a value set by the caller like a loaded one', async () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    cache.set('acme', 'known');
    expect(await cache.get('acme', () => Promise.resolve('loaded'))).toBe('known');
    clock.now = 1_000;
    expect(await cache.get('acme', () => Promise.resolve('loaded'))).toBe('loaded');
  });

  it('holds at most maxEntries keys, dropping the oldest first', async () => {
    const cache = cacheAt({ now: 0 }, 2);
    for (const key of ['a', 'b', 'c']) await cache.get(key, () => Promise.resolve(`${key}1`));
    const reload = (key: string) => cache.get(key, () => Promise.resolve(`${key}2`));
    expect([await reload('c'), await reload('b'), await reload('a')]).toEqual(['c1', 'b1', 'a2']);
  });
});
