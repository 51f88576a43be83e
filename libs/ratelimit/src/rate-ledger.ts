import type { BucketSpec } from './counter-store';
import { hashedKey } from './hashed-key';
import { MemoryCounterStore } from './memory-counter-store';
import type { Spend } from './spend-batch';
import {
  addSpends,
  bucketStateTtlMs,
  takeToken,
  type BucketState,
  type RatePolicy,
  type TakeDecision,
} from './token-bucket';

/** Default cap of remembered keys (states), and separately of spends not yet shared. */
export const DEFAULT_LEDGER_MAX_KEYS = 100_000;

export interface RateLedgerOptions {
  /** Keys remembered, and spends awaiting sharing, each at most this many (oldest go first). */
  readonly maxKeys?: number;
  readonly clock?: () => number;
}

interface Bucket {
  readonly spec: BucketSpec;
  readonly policy: RatePolicy;
}

interface Unshared {
  readonly policy: string;
  readonly key: string;
  count: number;
  lastAt: number;
}

/**
 * Every request limit of a service, decided in this process without a round trip: one GCRA state
 * per key that counts this replica's admissions at once and the other replicas' when their
 * batches arrive (receive). What this replica admits waits in `unshared` until the exchange sends
 * it (drain), at least every sync interval.
 *
 * The price of deciding locally is staleness, and its bound: a replica decides without the
 * admissions the others made in about the last sync interval (not yet sent, or in flight). With
 * R replicas a key can therefore be admitted up to (R − 1) × what one replica admits of it within
 * a sync interval beyond its limit, and never more than R × limit at once (each replica stops at
 * the full limit on its own). The excess is owed: the shared-back state refuses later requests
 * until it is paid (up to one extra window, see addSpends). A key served by one replica only is
 * exactly the GCRA of token-bucket.ts.
 *
 * No Nest or NATS here: the exchange moves drained spends between replicas.
 */
export class RateLedger {
  private readonly buckets = new Map<string, Bucket>();
  private readonly states: MemoryCounterStore;
  private readonly maxKeys: number;
  private readonly clock: () => number;
  private unshared = new Map<string, Unshared>();

  constructor(policies: Readonly<Record<string, RatePolicy | null>>, options: RateLedgerOptions = {}) {
    this.maxKeys = options.maxKeys ?? DEFAULT_LEDGER_MAX_KEYS;
    this.clock = options.clock ?? Date.now;
    this.states = new MemoryCounterStore(this.maxKeys, this.clock);
    for (const [name, policy] of Object.entries(policies)) {
      if (policy) this.buckets.set(name, { spec: { name, ttlMs: bucketStateTtlMs(policy) }, policy });
    }
  }

  /** Spends admitted here that no batch has carried yet. */
  get unsharedCount(): number {
    return this.unshared.size;
  }

  /** The longest a state matters, over every policy: how far back other replicas' batches count. */
  get maxStateTtlMs(): number {
    let longest = 0;
    for (const { spec } of this.buckets.values()) longest = Math.max(longest, spec.ttlMs);
    return longest;
  }

  /** Counts one request of `key`; undefined when the policy is off (or unknown). */
  take(name: string, key: string): TakeDecision | undefined {
    const bucket = this.buckets.get(name);
    if (!bucket) return undefined;
    const hashed = hashedKey(key);
    const decision = this.states.update<BucketState, TakeDecision>(bucket.spec, hashed, (current, now) => {
      const { next, decision } = takeToken(current, now, bucket.policy);
      return { next, result: decision };
    });
    if (decision.allowed) this.note(name, hashed, this.clock());
    return decision;
  }

  /** Hands over what is waiting to be shared, and forgets it: the exchange keeps it until it is sent. */
  drain(): Spend[] {
    const spends = [...this.unshared.values()].map(({ policy, key, count, lastAt }) => ({
      policy,
      key,
      count,
      lastAt,
    }));
    this.unshared = new Map();
    return spends;
  }

  /** Other replicas' admissions: they count here from now on. Unknown policies are skipped. */
  receive(spends: readonly Spend[]): void {
    const now = this.clock();
    for (const { policy: name, key, count, lastAt } of spends) {
      const bucket = this.buckets.get(name);
      if (!bucket || lastAt + bucket.spec.ttlMs <= now) continue;
      // A sender's clock ahead of ours must not push states into the future.
      const at = Math.min(lastAt, now);
      this.states.update<BucketState, undefined>(bucket.spec, key, (current) => ({
        next: addSpends(current, count, at, bucket.policy),
        result: undefined,
      }));
    }
  }

  private note(policy: string, key: string, at: number): void {
    const id = `${policy}\u0000${key}`;
    const pending = this.unshared.get(id);
    if (pending) {
      pending.count += 1;
      pending.lastAt = at;
      return;
    }
    this.unshared.set(id, { policy, key, count: 1, lastAt: at });
    // More distinct keys in one sync interval than the cap: the oldest spends go unshared.
    if (this.unshared.size > this.maxKeys) this.unshared.delete(this.unshared.keys().next().value!);
  }
}
