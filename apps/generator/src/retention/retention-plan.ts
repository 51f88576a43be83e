/**
 * The arithmetic of the retention sweep, kept apart from MongoDB so it can be tested as plain
 * functions: which records are old enough to go, and how far one run goes through a backlog.
 */

/** Retention of each kind of record in milliseconds; null keeps them for ever (`off`). */
export interface RetentionPeriods {
  readonly expiredCodesMs: number | null;
  readonly webhookDeliveriesMs: number | null;
  readonly generationJobsMs: number | null;
}

/** Records that finished (or expired) before these instants go; null: that kind is kept. */
export interface RetentionCutoffs {
  readonly expiredCodes: Date | null;
  readonly webhookDeliveries: Date | null;
  readonly generationJobs: Date | null;
}

/** `now` minus the retention, or null when the records are kept. */
export function cutoffBefore(now: Date, retentionMs: number | null): Date | null {
  return retentionMs === null ? null : new Date(now.getTime() - retentionMs);
}

export function retentionCutoffs(now: Date, periods: RetentionPeriods): RetentionCutoffs {
  return {
    expiredCodes: cutoffBefore(now, periods.expiredCodesMs),
    webhookDeliveries: cutoffBefore(now, periods.webhookDeliveriesMs),
    generationJobs: cutoffBefore(now, periods.generationJobsMs),
  };
}

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
