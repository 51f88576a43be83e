/**
 * Rate-limit buckets are capped (RATE_LIMIT_STORE_MAX_BYTES), against the real NATS of the test
 * stack: a bucket gets the cap when created and when found with another, a full bucket refuses
 * writes with an error that names it, and lockouts still hold while it is full (counted in the
 * process, as during an outage) instead of failing requests or letting every one through.
 * Every bucket is this run's own and is deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { connect, StorageType, type NatsConnection } from 'nats';
import { DomainError } from '@app/contracts';
import {
  AuthFailureLockout,
  CounterBucketFullError,
  FallbackCounterStore,
  MemoryCounterStore,
  NatsKvCounterStore,
  type BucketSpec,
  type Step,
} from '@app/ratelimit';
import { testStack } from '../support/stack';

const RUN = randomBytes(4).toString('hex');
/** A few keys' worth: small enough to fill in a handful of writes. */
const TINY_BYTES = 2_048;

const increment: Step<number, number> = (current) => {
  const next = (current ?? 0) + 1;
  return { next, result: next };
};

let connection: NatsConnection;
const created = new Set<string>();

/** A bucket name of this test's own, deleted after the file. */
function bucketName(label: string): string {
  const name = `rlfull-${RUN}-${label}`;
  created.add(`KV_${name}`);
  return name;
}

const storeOf = (maxBytes: number) =>
  new NatsKvCounterStore(() => connection, { timeoutMs: 2_000, maxAttempts: 5, maxBytes });

/** Increments distinct keys until the bucket refuses one; the error and how many went in. */
async function fill(store: NatsKvCounterStore, spec: BucketSpec): Promise<{ keys: number; error: unknown }> {
  for (let keys = 0; keys < 1_000; keys++) {
    try {
      await store.apply(spec, `key-${keys}`, increment);
    } catch (error) {
      return { keys, error };
    }
  }
  throw new Error(`${spec.name} took 1000 keys without filling up`);
}

beforeAll(async () => {
  connection = await connect({ servers: testStack().natsUrl, name: `ratelimit-full-${RUN}` });
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterAll(async () => {
  jest.restoreAllMocks();
  if (!connection) return;
  const jsm = await connection.jetstreamManager();
  for (const stream of created) await jsm.streams.delete(stream).catch(() => false);
  await connection.close();
});

it('creates each bucket capped: max bytes, one value per key, small values, a TTL, in memory', async () => {
  const spec = { name: bucketName('created'), ttlMs: 60_000 };
  await storeOf(TINY_BYTES * 4).apply(spec, 'k', increment);
  const jsm = await connection.jetstreamManager();
  const { config } = await jsm.streams.info(`KV_${spec.name}`);
  expect(config).toMatchObject({
    max_bytes: TINY_BYTES * 4,
    max_msgs_per_subject: 1,
    max_msg_size: 1_024,
    max_age: 60_000 * 1_000_000,
    storage: StorageType.Memory,
    // Refuse new writes when full: discarding old ones would reset other keys' counts.
    discard: 'new',
  });
});

it('applies a changed cap to a bucket made before it', async () => {
  const spec = { name: bucketName('changed'), ttlMs: 60_000 };
  await storeOf(TINY_BYTES * 8).apply(spec, 'k', increment);
  // A new process (a restart with another RATE_LIMIT_STORE_MAX_BYTES) opens the same bucket.
  await storeOf(TINY_BYTES * 2).apply(spec, 'k', increment);
  const jsm = await connection.jetstreamManager();
  expect((await jsm.streams.info(`KV_${spec.name}`)).config.max_bytes).toBe(TINY_BYTES * 2);
});

it('refuses writes once full, with an error naming the bucket and the setting', async () => {
  const spec = { name: bucketName('raw'), ttlMs: 60_000 };
  const { keys, error } = await fill(storeOf(TINY_BYTES), spec);
  expect(keys).toBeGreaterThan(0);
  expect(error).toBeInstanceOf(CounterBucketFullError);
  expect(String(error)).toContain(spec.name);
  expect(String(error)).toContain('RATE_LIMIT_STORE_MAX_BYTES');
  const jsm = await connection.jetstreamManager();
  const { state } = await jsm.streams.info(`KV_${spec.name}`);
  expect(state.bytes).toBeLessThanOrEqual(TINY_BYTES);
});

it('keeps locking out while a bucket is full: counted in the process, neither a 500 nor a free pass', async () => {
  const namespace = `rlfull-${RUN}`;
  const policy = 'failures';
  bucketName(policy);
  const shared = storeOf(TINY_BYTES);
  const store = new FallbackCounterStore(shared, new MemoryCounterStore(), { retryAfterMs: 60_000 });
  const lockout = new AuthFailureLockout(
    {
      namespace,
      rates: {},
      lockouts: { [policy]: { maxFailures: 2, windowMs: 60_000, lockoutMs: 60_000, maxLockoutMs: 60_000 } },
      store: { timeoutMs: 2_000, retryAfterMs: 60_000, maxBytes: TINY_BYTES },
    },
    store,
  );
  const wrongFrom = async (key: string) => {
    try {
      await lockout.verify(policy, key, () => Promise.reject(new DomainError('unauthorized', 'wrong')));
      return 'ok';
    } catch (error) {
      if (error instanceof DomainError) return error.code;
      throw error;
    }
  };

  // Distinct keys until the bucket is full and the store falls back to this process.
  let filler = 0;
  while (!store.degraded) {
    expect(await wrongFrom(`filler-${filler++}`)).toBe('unauthorized');
    expect(filler).toBeLessThan(1_000);
  }
  // A key the full bucket cannot take still locks out after its failures.
  expect([await wrongFrom('late'), await wrongFrom('late'), await wrongFrom('late')]).toEqual([
    'unauthorized',
    'unauthorized',
    'rate_limited',
  ]);
});

it('gives room back as states age out of the bucket (its TTL), and shares counts again', async () => {
  const spec = { name: bucketName('ttl'), ttlMs: 1_000 };
  const store = storeOf(TINY_BYTES);
  const { error } = await fill(store, spec);
  expect(error).toBeInstanceOf(CounterBucketFullError);
  // Bounded wait for the server's expiry of the old states: no fixed sleep.
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      expect(await store.apply(spec, 'after-expiry', increment)).toBe(1);
      break;
    } catch (retry) {
      if (!(retry instanceof CounterBucketFullError) || Date.now() > deadline) throw retry;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});
