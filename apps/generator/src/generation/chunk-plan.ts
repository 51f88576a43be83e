/** How a job of `requested` codes is cut into chunks of at most `chunkSize`. */
export interface ChunkPlan {
  readonly chunkSize: number;
  readonly chunkCount: number;
}

export function planChunks(requested: number, chunkSize: number): ChunkPlan {
  if (!Number.isSafeInteger(requested) || requested < 1)
    throw new RangeError(`requested must be ≥ 1 (got ${requested})`);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw new RangeError(`chunkSize must be ≥ 1 (got ${chunkSize})`);
  return { chunkSize, chunkCount: Math.ceil(requested / chunkSize) };
}

/** Codes chunk `index` must store: every chunk is full but the last, which takes the remainder. */
export function chunkCountOf(requested: number, plan: ChunkPlan, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= plan.chunkCount) {
    throw new RangeError(`chunk ${index} is outside 0..${plan.chunkCount - 1}`);
  }
  return Math.min(plan.chunkSize, requested - index * plan.chunkSize);
}

/** What to do to a chunk after reading how many codes it holds. */
export type ReconcileStep =
  | { readonly action: 'insert'; readonly count: number }
  | { readonly action: 'trim'; readonly count: number }
  | { readonly action: 'exact' };

/**
 * One round of bringing a chunk to exactly `target` codes. The caller repeats read → step until
 * it reads `exact`: a loop that only ends on an exact read ends exact even when two workers hold
 * the same chunk at once (each one's last write comes before its own final read).
 */
export function reconcileStep(stored: number, target: number): ReconcileStep {
  if (stored < target) return { action: 'insert', count: target - stored };
  if (stored > target) return { action: 'trim', count: stored - target };
  return { action: 'exact' };
}

/** Codes per second between two instants; 0 before any time has passed. */
export function ratePerSecond(generated: number, from: Date | null, to: Date): number {
  if (!from) return 0;
  const seconds = (to.getTime() - from.getTime()) / 1_000;
  return seconds > 0 ? Math.round(generated / seconds) : 0;
}
