/**
 * Rate limits and lockouts against a real NATS JetStream key-value store: counters shared by
 * "replicas" (separate connections, each with its own limiter), atomic under concurrency, and a
 * store outage that degrades to per-process counting and heals without a restart.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from 'nats';
import { DomainError } from '@app/contracts';
import {
  AuthFailureLockout,
  FallbackCounterStore,
  MemoryCounterStore,
  NatsKvCounterStore,
  RateLimiter,
  type CounterStore,
  type RateLimitOptions,
} from '@app/ratelimit';
import { startNats, stopPid, testStack, type StartedNats } from '../support/stack';

/** The test stack's NATS may be shared with other runs: buckets of this run only. */
const RUN = randomBytes(4).toString('hex');

function optionsFor(namespace: string): RateLimitOptions {
  return {
    namespace,
    rates: {
      perUser: { limit: 5, windowMs: 60_000 },
      burst: { limit: 30, windowMs: 60_000 },
      off: null,
    },
    lockouts: {
      failures: { maxFailures: 3, windowMs: 60_000, lockoutMs: 30_000, maxLockoutMs: 120_000 },
    },
    store: { timeoutMs: 300, retryAfterMs: 500 },
  };
}

const sharedStore = (connection: NatsConnection): CounterStore =>
  new NatsKvCounterStore(() => connection, { timeoutMs: 2_000, maxAttempts: 20 });

/** What take() did: allowed, or refused with a Retry-After in seconds. */
async function outcomeOf(limiter: RateLimiter, policy: string, key: string): Promise<'ok' | number> {
  try {
    await limiter.take(policy, key);
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError && error.code === 'rate_limited') {
      return error.details?.retryAfterSeconds as number;
    }
    throw error;
  }
}

async function deleteBuckets(connection: NatsConnection, namespace: string): Promise<void> {
  const jsm = await connection.jetstreamManager();
  for await (const stream of jsm.streams.list()) {
    if (stream.config.name.startsWith(`KV_${namespace}-`)) await jsm.streams.delete(stream.config.name);
  }
}

describe('rate limits shared through JetStream KV', () => {
  const namespace = `ratelimit-int-${RUN}`;
  let replicaA: NatsConnection;
  let replicaB: NatsConnection;
  let limiterA: RateLimiter;
  let limiterB: RateLimiter;
  let lockoutA: AuthFailureLockout;
  let lockoutB: AuthFailureLockout;

  beforeAll(async () => {
    const { natsUrl } = testStack();
    replicaA = await connect({ servers: natsUrl, name: `ratelimit-int-a-${RUN}` });
    replicaB = await connect({ servers: natsUrl, name: `ratelimit-int-b-${RUN}` });
    const storeA = sharedStore(replicaA);
    const storeB = sharedStore(replicaB);
    limiterA = new RateLimiter(optionsFor(namespace), storeA);
    limiterB = new RateLimiter(optionsFor(namespace), storeB);
    lockoutA = new AuthFailureLockout(optionsFor(namespace), storeA);
    lockoutB = new AuthFailureLockout(optionsFor(namespace), storeB);
  });

  afterAll(async () => {
    await deleteBuckets(replicaA, namespace);
    await Promise.all([replicaA?.close(), replicaB?.close()]);
  });

  it('counts one limit across replicas: the 6th request of a 5-per-minute user is refused on either', async () => {
    const outcomes: Array<'ok' | number> = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(await outcomeOf(i % 2 === 0 ? limiterA : limiterB, 'perUser', 'user-1'));
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const refusedA = await outcomeOf(limiterA, 'perUser', 'user-1');
    const refusedB = await outcomeOf(limiterB, 'perUser', 'user-1');
    // One token comes back every 12 s.
    expect(refusedA).toEqual(expect.any(Number));
    expect(refusedA).toBeGreaterThanOrEqual(11);
    expect(refusedA).toBeLessThanOrEqual(12);
    expect(refusedB).toEqual(expect.any(Number));
  });

  it('keeps keys apart', async () => {
    expect(await outcomeOf(limiterA, 'perUser', 'user-2')).toBe('ok');
  });

  it('is atomic: 2 replicas × 25 concurrent requests against a limit of 30 let exactly 30 through', async () => {
    const attempts = [
      ...Array.from({ length: 25 }, () => outcomeOf(limiterA, 'burst', 'hot-key')),
      ...Array.from({ length: 25 }, () => outcomeOf(limiterB, 'burst', 'hot-key')),
    ];
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(30);
    for (const refused of outcomes.filter((o) => o !== 'ok')) expect(refused).toBeGreaterThanOrEqual(1);
  });

  it('lets everything through a policy that is switched off, and refuses unknown policies at start-up', async () => {
    for (let i = 0; i < 20; i++) expect(await outcomeOf(limiterA, 'off', 'user-1')).toBe('ok');
    expect(() => limiterA.assertPolicy('typo')).toThrow('Rate-limit policy "typo" is not configured');
  });

  it('locks a key out after 3 failures, on every replica, before the credentials are even checked', async () => {
    const wrong = () => Promise.reject(new DomainError('unauthorized', 'wrong secret'));
    for (let i = 0; i < 3; i++) {
      const lockout = i % 2 === 0 ? lockoutA : lockoutB;
      await expect(lockout.attempt('failures', 'mallory 10.0.0.9', wrong)).rejects.toMatchObject({
        code: 'unauthorized',
      });
    }
    let checked = false;
    const right = () => {
      checked = true;
      return Promise.resolve('in');
    };
    for (const lockout of [lockoutA, lockoutB]) {
      await expect(lockout.attempt('failures', 'mallory 10.0.0.9', right)).rejects.toMatchObject({
        code: 'rate_limited',
        details: { retryAfterSeconds: 30 },
      });
    }
    expect(checked).toBe(false);
    // Another key (same user, another IP) is not affected.
    await expect(lockoutB.attempt('failures', 'mallory 10.0.0.10', right)).resolves.toBe('in');
  });

  it('counts only unauthorized errors as failures, and a success clears them when asked to', async () => {
    const key = 'alice 10.0.0.1';
    const wrong = () => Promise.reject(new DomainError('unauthorized', 'wrong secret'));
    const broken = () => Promise.reject(new Error('database down'));
    await expect(lockoutA.attempt('failures', key, wrong)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(lockoutA.attempt('failures', key, broken)).rejects.toThrow('database down');
    await expect(lockoutA.attempt('failures', key, wrong)).rejects.toMatchObject({ code: 'unauthorized' });
    // Two failures so far; a success with resetOnSuccess wipes them, so two more do not lock.
    await lockoutB.attempt('failures', key, () => Promise.resolve(), { resetOnSuccess: true });
    await expect(lockoutA.attempt('failures', key, wrong)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(lockoutA.attempt('failures', key, wrong)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(lockoutA.attempt('failures', key, () => Promise.resolve('in'))).resolves.toBe('in');
  });

  it('keeps counting after a success when not asked to clear (per-IP keys)', async () => {
    const key = '10.0.0.2';
    const wrong = () => Promise.reject(new DomainError('unauthorized', 'bad key'));
    await expect(lockoutA.attempt('failures', key, wrong)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(lockoutA.attempt('failures', key, wrong)).rejects.toMatchObject({ code: 'unauthorized' });
    await lockoutA.attempt('failures', key, () => Promise.resolve());
    await expect(lockoutA.attempt('failures', key, wrong)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(lockoutA.attempt('failures', key, () => Promise.resolve())).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });

  it('lengthens the TTL of an existing bucket when a policy needs longer (a wider window)', async () => {
    const name = `${namespace}-ttl`;
    const step = (current: number | undefined) => ({ next: (current ?? 0) + 1, result: undefined });
    await sharedStore(replicaA).apply({ name, ttlMs: 1_000 }, 'k', step);
    await sharedStore(replicaB).apply({ name, ttlMs: 120_000 }, 'k', step);
    const status = await (await replicaA.jetstream().views.kv(name, { bindOnly: true })).status();
    expect(status.ttl).toBe(120_000);
  });

  it('stores hashed keys only: no user id or IP in the bucket', async () => {
    const kv = await replicaA.jetstream().views.kv(`${namespace}-failures`, { bindOnly: true });
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(key).not.toMatch(/mallory|alice|10\.0\.0/);
    }
  });
});

describe('rate limits while the store is down', () => {
  const namespace = `ratelimit-outage-${RUN}`;
  let tempDir: string;
  let nats: StartedNats | undefined;
  let connection: NatsConnection;
  let limiter: RateLimiter;
  let store: FallbackCounterStore;

  beforeAll(async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'ratelimit-int-'));
    nats = await startNats({ dataDir: join(tempDir, 'nats') });
    connection = await connect({
      servers: nats.url,
      name: `ratelimit-outage-${RUN}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 200,
    });
    const options = optionsFor(namespace);
    store = new FallbackCounterStore(
      new NatsKvCounterStore(() => connection, { timeoutMs: options.store.timeoutMs, maxAttempts: 20 }),
      new MemoryCounterStore(),
      { retryAfterMs: options.store.retryAfterMs },
    );
    limiter = new RateLimiter(options, store);
  }, 30_000);

  afterAll(async () => {
    await connection?.close();
    if (nats) await stopPid(nats.record, 5_000);
    rmSync(tempDir, { recursive: true, force: true });
  });

  it('counts in the shared store while NATS is up', async () => {
    expect(await outcomeOf(limiter, 'perUser', 'u-shared')).toBe('ok');
    expect(store.degraded).toBe(false);
  });

  it('keeps answering within the store timeout and enforces limits per process when NATS is gone', async () => {
    const port = nats!.port;
    await stopPid(nats!.record, 5_000);
    nats = undefined;
    const started = Date.now();
    const outcomes: Array<'ok' | number> = [];
    for (let i = 0; i < 7; i++) outcomes.push(await outcomeOf(limiter, 'perUser', 'u-outage'));
    // One timed-out request at most; then local counting until retryAfterMs.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(store.degraded).toBe(true);
    expect(outcomes.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(outcomes.slice(5)).toEqual([expect.any(Number), expect.any(Number)]);

    // NATS comes back on the same port (memory buckets are gone): shared counting resumes by itself.
    nats = await startNats({ dataDir: join(tempDir, 'nats'), port });
    const deadline = Date.now() + 15_000;
    let healed = false;
    while (!healed && Date.now() < deadline) {
      await sleep(600);
      await outcomeOf(limiter, 'perUser', `u-heal-${Date.now()}`);
      healed = !store.degraded;
    }
    expect(healed).toBe(true);
    const other = await connect({ servers: nats.url, name: `ratelimit-outage-b-${RUN}` });
    try {
      const replica = new RateLimiter(optionsFor(namespace), sharedStore(other));
      for (let i = 0; i < 5; i++) expect(await outcomeOf(limiter, 'perUser', 'u-after')).toBe('ok');
      expect(await outcomeOf(replica, 'perUser', 'u-after')).toEqual(expect.any(Number));
    } finally {
      await other.close();
    }
  }, 60_000);
});
