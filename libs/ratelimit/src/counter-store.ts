/** A named set of counters with one lifetime: a JetStream KV bucket, or a map in memory. */
export interface BucketSpec {
  readonly name: string;
  /** How long a key's state matters after its last write; older state may vanish. */
  readonly ttlMs: number;
}

/** What one step of an algorithm decided: the state to store (none: leave it) and the answer. */
export interface Transition<S, R> {
  readonly next: S | undefined;
  readonly result: R;
}

export type Step<S, R> = (current: S | undefined, now: number) => Transition<S, R>;

/**
 * Applies `step` to the state of one key atomically with respect to every other caller that
 * shares the store (other replicas included), and returns its result.
 */
export interface CounterStore {
  apply<S, R>(bucket: BucketSpec, key: string, step: Step<S, R>): Promise<R>;
}

/** Many callers raced on one key and this one lost every time: treat as over the limit. */
export class CounterContentionError extends Error {
  constructor(bucket: string) {
    super(`Too much contention on a counter of bucket ${bucket}`);
    this.name = 'CounterContentionError';
  }
}

export const COUNTER_STORE = Symbol('COUNTER_STORE');
