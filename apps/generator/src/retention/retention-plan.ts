/**
 * The arithmetic of the retention sweep, kept apart from MongoDB so it can be tested as plain
 * functions: which records are old enough to go.
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
