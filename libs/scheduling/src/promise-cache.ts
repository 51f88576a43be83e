export interface PromiseCacheOptions {
  /** How long a loaded value is served before it is loaded again. */
  readonly ttlMs: number;
  /** Most keys held at once; the oldest goes first. */
  readonly maxEntries: number;
  /** The clock, for tests. */
  readonly now?: () => number;
}

/**
 * Values loaded by key and kept for a short while, for reads that many requests repeat (a brand's
 * settings during a burst of claims or webhook deliveries). The promise is kept, not the value, so
 * concurrent callers share one load; a failed load is forgotten at once, so the next call tries
 * again. A change behind the cache is seen within ttlMs.
 */
export class PromiseCache<V> {
  /** Map order is insertion order: the first entry is the oldest. */
  private readonly entries = new Map<string, { loadedAt: number; value: Promise<V> }>();
  private readonly now: () => number;

  constructor(private readonly options: PromiseCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.peek(key);
    if (cached) return cached;
    const value = load();
    this.store(key, value);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** The value held for `key` if it is younger than ttlMs; nothing is loaded. */
  peek(key: string): Promise<V> | undefined {
    const cached = this.entries.get(key);
    return cached && this.now() - cached.loadedAt < this.options.ttlMs ? cached.value : undefined;
  }

  /** A value the caller has just loaded itself, served for ttlMs like a loaded one. */
  set(key: string, value: V): void {
    this.store(key, Promise.resolve(value));
  }

  private store(key: string, value: Promise<V>): void {
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { loadedAt: this.now(), value });
  }
}
