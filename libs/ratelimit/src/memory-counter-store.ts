import type { BucketSpec, CounterStore, Step } from './counter-store';

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/**
 * Counters in this process only: the fallback while the shared store is unreachable. Bounded, so
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
    const now = this.clock();
    const id = `${bucket.name}\u0000${key}`;
    const entry = this.entries.get(id);
    const current = entry && entry.expiresAt > now ? (entry.value as S) : undefined;
    const { next, result } = step(current, now);
    if (next !== undefined) {
      // Delete first so the key moves to the end of the insertion order (newest).
      this.entries.delete(id);
      this.entries.set(id, { value: next, expiresAt: now + bucket.ttlMs });
      this.evict(now);
    }
    return Promise.resolve(result);
  }

  private evict(now: number): void {
    if (this.entries.size <= this.maxEntries) return;
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(id);
    }
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(id);
    }
  }
}
