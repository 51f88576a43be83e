import { setTimeout as sleep } from 'node:timers/promises';
import { JSONCodec, NatsError, StorageType, type KV, type NatsConnection } from 'nats';
import { CounterContentionError, type BucketSpec, type CounterStore, type Step } from './counter-store';
import { hashedKey } from './hashed-key';

const codec = JSONCodec<unknown>();

/** JetStream's "wrong last sequence": someone else wrote the key since we read it. */
const WRONG_LAST_SEQUENCE = 10071;

/** Largest counter state: a few numbers of JSON. */
const MAX_VALUE_BYTES = 1024;

/**
 * Default cap of one bucket (RATE_LIMIT_STORE_MAX_BYTES): about 100,000 keys at ~150 bytes each
 * (subject, hashed key, state), in the NATS server's memory.
 */
export const DEFAULT_BUCKET_MAX_BYTES = 16 * 1024 * 1024;

export interface NatsKvCounterStoreOptions {
  /** Per JetStream request; a store that does not answer quickly is treated as down. */
  readonly timeoutMs: number;
  /** Compare-and-set rounds before a hot key counts as over the limit. */
  readonly maxAttempts: number;
  /** Cap of each bucket, in bytes (default DEFAULT_BUCKET_MAX_BYTES). */
  readonly maxBytes?: number;
}

/**
 * A bucket at its cap refused a write. JetStream refuses new writes rather than dropping old
 * states (discard "new"): dropping would reset some keys' counts, silently letting their callers
 * through. The fallback store counts in this process meanwhile, as during an outage.
 */
export class CounterBucketFullError extends Error {
  constructor(bucket: string, maxBytes: number, cause: unknown) {
    super(
      `Rate-limit bucket ${bucket} is full (${maxBytes} bytes, RATE_LIMIT_STORE_MAX_BYTES): ` +
        `${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'CounterBucketFullError';
  }
}

/**
 * Counters in NATS JetStream key-value buckets, shared by every replica: read a key, compute the
 * next state, write it only if the key's revision is still the one read (compare-and-set), else
 * read again. One bucket per policy, whose TTL drops states that no longer matter.
 *
 * Buckets live in memory on the NATS server: counters are short-lived and losing them with a
 * NATS restart only resets limits, while memory storage keeps the two round trips per check fast.
 * That memory is capped per bucket (maxBytes): many distinct keys (a botnet's addresses) fill a
 * bucket instead of the server, and a full bucket refuses writes (CounterBucketFullError).
 *
 * Within this process, updates of one key wait for each other instead of racing (a burst of one
 * user's requests would otherwise lose compare-and-set rounds to itself); only other replicas
 * can conflict, and those conflicts are retried after a short random pause.
 */
export class NatsKvCounterStore implements CounterStore {
  private readonly buckets = new Map<string, Promise<KV>>();
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly maxBytes: number;

  /**
   * @param connection the current connection; it throws while NATS is down (the service's
   *   connection is made in the background), which the fallback store treats as an outage.
   */
  constructor(
    private readonly connection: () => NatsConnection,
    private readonly options: NatsKvCounterStoreOptions,
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_BUCKET_MAX_BYTES;
  }

  apply<S, R>(spec: BucketSpec, key: string, step: Step<S, R>): Promise<R> {
    const id = `${spec.name}\u0000${key}`;
    const previous = this.pending.get(id) ?? Promise.resolve();
    const run = previous.then(
      () => this.applyNow(spec, key, step),
      () => this.applyNow(spec, key, step),
    );
    this.pending.set(id, run);
    const forget = () => {
      if (this.pending.get(id) === run) this.pending.delete(id);
    };
    run.then(forget, forget);
    return run;
  }

  private async applyNow<S, R>(spec: BucketSpec, key: string, step: Step<S, R>): Promise<R> {
    const kv = await this.bucket(spec);
    const storedKey = hashedKey(key);
    try {
      for (let attempt = 0; attempt < this.options.maxAttempts; attempt++) {
        const entry = await kv.get(storedKey);
        const current = entry?.operation === 'PUT' ? decode<S>(entry.value) : undefined;
        const { next, result } = step(current, Date.now());
        if (next === undefined) return result;
        try {
          const value = codec.encode(next);
          if (entry) await kv.update(storedKey, value, entry.revision);
          else await kv.create(storedKey, value);
          return result;
        } catch (error) {
          if (isBucketFull(error)) throw new CounterBucketFullError(spec.name, this.maxBytes, error);
          if (!isWrongRevision(error)) throw error;
          // Another replica wrote the key: pause up to a few ms so that the two do not collide again.
          await sleep(Math.random() * 2 ** Math.min(attempt, 5));
        }
      }
    } catch (error) {
      // The bucket may be gone (a NATS restart drops memory streams): set it up again next time.
      this.forget(spec);
      throw error;
    }
    throw new CounterContentionError(spec.name);
  }

  /**
   * Drops the bucket handle kept for `spec`, so that the next use sets the bucket up again
   * (js.views.kv creates it when a NATS restart lost the memory stream).
   */
  forget(spec: BucketSpec): void {
    this.buckets.delete(spec.name);
  }

  /**
   * Reports every key's state (by hashed key; undefined when deleted) as it is now and after each
   * later write, until `stop` is called or the watch ends (`done`, then watch again). The handle
   * is the cached one: a caller whose watch fails or ends calls forget(spec) before watching again.
   */
  async watch(
    spec: BucketSpec,
    onChange: (hashedKey: string, value: unknown) => void,
  ): Promise<{ stop(): void; done: Promise<void> }> {
    const kv = await this.bucket(spec);
    const updates = await kv.watch();
    const done = (async () => {
      for await (const entry of updates) {
        onChange(entry.key, entry.operation === 'PUT' ? decode<unknown>(entry.value) : undefined);
      }
    })();
    return { stop: () => updates.stop(), done };
  }

  private bucket(spec: BucketSpec): Promise<KV> {
    let bucket = this.buckets.get(spec.name);
    if (!bucket) {
      bucket = this.openBucket(spec);
      bucket.catch(() => this.buckets.delete(spec.name));
      this.buckets.set(spec.name, bucket);
    }
    return bucket;
  }

  private async openBucket(spec: BucketSpec): Promise<KV> {
    const js = this.connection().jetstream({ timeout: this.options.timeoutMs });
    const kv = await js.views.kv(spec.name, {
      history: 1,
      ttl: spec.ttlMs,
      storage: StorageType.Memory,
      maxValueSize: MAX_VALUE_BYTES,
      max_bytes: this.maxBytes,
    });
    // An existing bucket keeps the settings it was created with: a longer policy window needs a
    // longer TTL, and a changed RATE_LIMIT_STORE_MAX_BYTES applies to buckets made before it.
    const status = await kv.status();
    const { config } = status.streamInfo;
    if (status.ttl < spec.ttlMs || config.max_bytes !== this.maxBytes) {
      const jsm = await this.connection().jetstreamManager({ timeout: this.options.timeoutMs });
      await jsm.streams.update(config.name, {
        ...config,
        max_age: Math.max(status.ttl, spec.ttlMs) * 1_000_000,
        max_bytes: this.maxBytes,
      });
    }
    return kv;
  }
}

function decode<S>(value: Uint8Array): S | undefined {
  try {
    return codec.decode(value) as S;
  } catch {
    return undefined;
  }
}

/** JetStream's answer to a write into a stream at its max_bytes (discard new). */
function isBucketFull(error: unknown): boolean {
  return (
    error instanceof NatsError &&
    /maximum bytes exceeded/i.test(error.api_error?.description ?? error.message)
  );
}

function isWrongRevision(error: unknown): boolean {
  return error instanceof NatsError && error.api_error?.err_code === WRONG_LAST_SEQUENCE;
}
