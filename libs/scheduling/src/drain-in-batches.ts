// Bounded batch work for periodic sweeps and relays (retention, expired idempotency keys, lifecycle
// events): one run never holds shutdown, or the database, for a whole backlog.

export interface BatchLimits {
  /** Records selected, then written, at once. */
  readonly size: number;
  /** Batches of one kind per run: bounds how long a run over a large backlog holds shutdown. */
  readonly maxBatches: number;
}

/**
 * Runs `step` (which handles up to `limit` records and resolves how many it selected) until a
 * batch comes back short, `maxBatches` ran or `stopping()` says so; resolves the total selected.
 * What is left waits for the next run, whose wait the PeriodicTask stretches after a long one.
 */
export async function drainInBatches(
  step: (limit: number) => Promise<number>,
  limits: BatchLimits,
  stopping: () => boolean = () => false,
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < limits.maxBatches && !stopping(); batch++) {
    const selected = await step(limits.size);
    total += selected;
    if (selected < limits.size) break;
  }
  return total;
}
