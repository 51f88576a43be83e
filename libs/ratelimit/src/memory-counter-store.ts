import type { BucketSpec, CounterStore, Step } from './counter-store';

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/**
 * Counters in this process only: the lockouts' fallback while the shared store is unreachable, and
 * the rate ledger's per-key states (rate-ledger.ts). Bounded, so
 * a flood of distinct keys (one per spoofed IP, say) cannot exhaust memory: the oldest entries
 * go first.
 */
export class MemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  apply<S, R>(bucket: BucketSpec, key: string, step: Step<S, R>): Promise<R> {
    return Promise.resolve(this.update(bucket, key, step));
  }

  /** apply() without the promise: for callers that decide on the spot (the rate ledger). */
  update<S, R>(bucket: BucketSpec, key: string, step: Step<S, R>): R {
    const now = this.clock();
    const id = `${bucket.name}\u0000${key}`;
    const entry = this.entries.get(id);
    const current = entry && entry.expiresAt > now ? (entry.value as S) : undefined;
    const { next, result } = step(current, now);
    if (next !== undefined) {
      // Delete first so the key moves to the end of the insertion order (newest).
      this.entries.delete(id);
      this.entries.set(id, { value: next, expiresAt: now + bucket.ttlMs });
      // O(1) per write however full: the least recently written key goes (the first in the
      // Map's order). Expired entries need no sweep; they are skipped on read and age out first.
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return result;
  }
}
