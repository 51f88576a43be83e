/**
 * Lockouts against a real NATS JetStream key-value store: failures counted by "replicas" (separate
 * connections, each with its own lockout) add up, a lockout recorded by one reaches the others'
 * memory through their watch (so a valid credential is refused without a round trip), and a store
 * outage degrades to per-process counting and heals without a restart. Request limits, which do
 * not use the KV store, are in ratelimit-sync.int-spec.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { DomainError } from '@app/contracts';
import {
  AuthFailureLockout,
  FallbackCounterStore,
  KnownLockouts,
  lockoutBucketOf,
  LockoutWatch,
  MemoryCounterStore,
  NatsKvCounterStore,
  type RateLimitOptions,
} from '@app/ratelimit';
import { startNats, stopPid, testStack, type StartedNats } from '../support/stack';

/** The test stack's NATS may be shared with other runs: buckets of this run only. */
const RUN = randomBytes(4).toString('hex');

const FAILURES = { maxFailures: 3, windowMs: 60_000, lockoutMs: 30_000, maxLockoutMs: 120_000 };

function optionsFor(namespace: string): RateLimitOptions {
  return {
    namespace,
    rates: {},
    lockouts: { failures: FAILURES },
    store: { timeoutMs: 300, retryAfterMs: 500 },
  };
}

const sharedStore = (connection: NatsConnection): NatsKvCounterStore =>
  new NatsKvCounterStore(() => connection, { timeoutMs: 2_000, maxAttempts: 20 });

const wrong = () => Promise.reject(new DomainError('unauthorized', 'wrong secret'));

/** Polls `condition` (memory fed by a NATS watch) until it holds; fails after timeoutMs. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

async function deleteBuckets(connection: NatsConnection, namespace: string): Promise<void> {
  const jsm = await connection.jetstreamManager();
  for await (const stream of jsm.streams.list()) {
    if (stream.config.name.startsWith(`KV_${namespace}-`)) await jsm.streams.delete(stream.config.name);
  }
}

beforeAll(() => {
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterAll(() => jest.restoreAllMocks());

describe('lockouts shared through JetStream KV', () => {
  const namespace = `ratelimit-int-${RUN}`;
  let replicaA: NatsConnection;
  let replicaB: NatsConnection;
  let lockoutA: AuthFailureLockout;
  let lockoutB: AuthFailureLockout;
  let knownB: KnownLockouts;
  let watchB: LockoutWatch;

  beforeAll(async () => {
    const { natsUrl } = testStack();
    replicaA = await connect({ servers: natsUrl, name: `ratelimit-int-a-${RUN}` });
    replicaB = await connect({ servers: natsUrl, name: `ratelimit-int-b-${RUN}` });
    const storeB = sharedStore(replicaB);
    knownB = new KnownLockouts();
    lockoutA = new AuthFailureLockout(optionsFor(namespace), sharedStore(replicaA));
    lockoutB = new AuthFailureLockout(optionsFor(namespace), storeB, knownB);
    const linkB = { current: () => replicaB, whenConnected: () => Promise.resolve(replicaB) };
    const buckets = new Map([['failures', lockoutBucketOf(namespace, 'failures', FAILURES)]]);
    watchB = new LockoutWatch(linkB, storeB, knownB, buckets);
    watchB.start();
  });

  afterAll(async () => {
    watchB?.stop();
    await deleteBuckets(replicaA, namespace);
    await Promise.all([replicaA?.close(), replicaB?.close()]);
  });

  it('locks a key out after 3 failures, on every replica, before the credentials are even checked', async () => {
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

  it('refuses a valid credential on another replica once the lockout reaches it, without asking the store', async () => {
    const key = '10.0.0.40';
    for (let i = 0; i < 3; i++) {
      await expect(lockoutA.verify('failures', key, wrong)).rejects.toMatchObject({ code: 'unauthorized' });
    }
    // The event the staleness bound is about: A's write delivered to B's watch.
    await until(() => knownB.retryAfterMs('failures', key) > 0, "B's watch delivered the lockout");
    const checked = jest.fn(() => Promise.resolve('in'));
    await expect(lockoutB.verify('failures', key, checked)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(checked).not.toHaveBeenCalled();
    // A wrong credential reads the shared store: refused, not counted.
    await expect(lockoutA.verify('failures', key, wrong)).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(lockoutB.verify('failures', '10.0.0.41', () => Promise.resolve('in'))).resolves.toBe('in');
  });
});

describe('lockouts while the store is down', () => {
  const namespace = `ratelimit-outage-${RUN}`;
  let tempDir: string;
  let nats: StartedNats | undefined;
  let connection: NatsConnection;
  let lockout: AuthFailureLockout;
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
    lockout = new AuthFailureLockout(options, store);
  }, 30_000);

  afterAll(async () => {
    await connection?.close();
    if (nats) await stopPid(nats.record, 5_000);
    rmSync(tempDir, { recursive: true, force: true });
  });

  it('counts in the shared store while NATS is up', async () => {
    await expect(lockout.verify('failures', '10.1.0.1', wrong)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect(store.degraded).toBe(false);
  });

  it('keeps answering within the store timeout and locks out per process when NATS is gone', async () => {
    const port = nats!.port;
    await stopPid(nats!.record, 5_000);
    nats = undefined;
    const started = Date.now();
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      codes.push(await lockout.verify('failures', '10.1.0.2', wrong).catch((e: DomainError) => e.code));
    }
    // One timed-out request at most; then local counting until retryAfterMs.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(store.degraded).toBe(true);
    expect(codes).toEqual(['unauthorized', 'unauthorized', 'unauthorized', 'rate_limited']);

    // NATS comes back on the same port (memory buckets are gone): shared counting resumes by itself.
    nats = await startNats({ dataDir: join(tempDir, 'nats'), port });
    const deadline = Date.now() + 15_000;
    let healed = false;
    while (!healed && Date.now() < deadline) {
      await sleep(600);
      await lockout.verify('failures', `10.1.1.${Date.now() % 250}`, wrong).catch(() => undefined);
      healed = !store.degraded;
    }
    expect(healed).toBe(true);
  }, 60_000);
});
