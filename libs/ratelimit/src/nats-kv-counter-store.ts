import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { JSONCodec, NatsError, StorageType, type KV, type NatsConnection } from 'nats';
import { CounterContentionError, type BucketSpec, type CounterStore, type Step } from './counter-store';

const codec = JSONCodec<unknown>();

/** JetStream's "wrong last sequence": someone else wrote the key since we read it. */
const WRONG_LAST_SEQUENCE = 10071;

export interface NatsKvCounterStoreOptions {
  /** Per JetStream request; a store that does not answer quickly is treated as down. */
  readonly timeoutMs: number;
  /** Compare-and-set rounds before a hot key counts as over the limit. */
  readonly maxAttempts: number;
}

/**
 * Counters in NATS JetStream key-value buckets, shared by every replica: read a key, compute the
 * next state, write it only if the key's revision is still the one read (compare-and-set), else
 * read again. One bucket per policy, whose TTL drops states that no longer matter.
 *
 * Buckets live in memory on the NATS server: counters are short-lived and losing them with a
 * NATS restart only resets limits, while memory storage keeps the two round trips per check fast.
 *
 * Within this process, updates of one key wait for each other instead of racing (a burst of one
 * user's requests would otherwise lose compare-and-set rounds to itself); only other replicas
 * can conflict, and those conflicts are retried after a short random pause.
 */
export class NatsKvCounterStore implements CounterStore {
  private readonly buckets = new Map<string, Promise<KV>>();
  private readonly pending = new Map<string, Promise<unknown>>();

  /**
   * @param connection the current connection; it throws while NATS is down (the service's
   *   connection is made in the background), which the fallback store treats as an outage.
   */
  constructor(
    private readonly connection: () => NatsConnection,
    private readonly options: NatsKvCounterStoreOptions,
  ) {}

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
    const storedKey = storageKey(key);
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
          if (!isWrongRevision(error)) throw error;
          // Another replica wrote the key: pause up to a few ms so that the two do not collide again.
          await sleep(Math.random() * 2 ** Math.min(attempt, 5));
        }
      }
    } catch (error) {
      // The bucket may be gone (a NATS restart drops memory streams): set it up again next time.
      this.buckets.delete(spec.name);
      throw error;
    }
    throw new CounterContentionError(spec.name);
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
      maxValueSize: 1024,
    });
    // An existing bucket keeps the TTL it was created with; a longer policy window needs more.
    const status = await kv.status();
    if (status.ttl < spec.ttlMs) {
      const jsm = await this.connection().jetstreamManager({ timeout: this.options.timeoutMs });
      const { config } = await jsm.streams.info(status.streamInfo.config.name);
      await jsm.streams.update(config.name, { ...config, max_age: spec.ttlMs * 1_000_000 });
    }
    return kv;
  }
}

/**
 * Keys are user ids, client IPs and the like: hashed, so any key fits the KV key alphabet (an IPv6
 * address has colons) and the bucket does not list who called.
 */
function storageKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}

function decode<S>(value: Uint8Array): S | undefined {
  try {
    return codec.decode(value) as S;
  } catch {
    return undefined;
  }
}

function isWrongRevision(error: unknown): boolean {
  return error instanceof NatsError && error.api_error?.err_code === WRONG_LAST_SEQUENCE;
}
