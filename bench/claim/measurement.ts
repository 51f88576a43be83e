import type { ClaimAnswer } from '../../test/support/claim-audit';

/** One claim to make: a user's first claim of a brand. */
export interface ClaimJob {
  readonly brandId: string;
  readonly userId: string;
}

export interface RunMeasurement {
  readonly durationMs: number;
  /** One per completed request, in milliseconds. */
  readonly latenciesMs: readonly number[];
  /** One per job that was sent (index = job index); jobs never sent are left out. */
  readonly answers: readonly ClaimAnswer[];
  /** Distinct error messages are what matter; the count is errors.length. */
  readonly errors: readonly string[];
  /** HTTP status → count (HTTP runs only). */
  readonly statuses: Readonly<Record<string, number>>;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentiles (the p-th percentile is a value that was actually measured). */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(latenciesMs).sort();
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { p50: at(50), p90: at(90), p99: at(99), max: sorted[sorted.length - 1]!, mean };
}
