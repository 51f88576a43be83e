import type { RunRecord, Target } from './report';

/** A run record for the report's and the targets' tests: clean unless told. */
export function run(
  target: Target,
  claimsPerSec: number,
  failed = 0,
  errors = 0,
  overrides: Partial<RunRecord> = {},
): RunRecord {
  return {
    scenario: 'legacy',
    target,
    concurrency: 64,
    brands: 1,
    codes: 192,
    requests: 128,
    durationMs: 1_000,
    claimsPerSec,
    latencyMs: { p50: 10, p90: 20, p99: 40, max: 50, mean: 12 },
    statuses: {},
    cpuMsPerClaim: { ferretdb: 2 },
    window: { fromUs: 0, toUs: 1 },
    errors: { count: errors, samples: [] },
    audit: {
      ok: true,
      summary: 'OK',
      violations: [],
      totals: {
        total: 192,
        available: 64,
        claimed: 128,
        expired: 0,
        redeemed: 0,
        newClaims: 128 - failed,
        answers: { created: 128 - failed, held: 0, exhausted: 0, failed },
      },
    },
    ...overrides,
  };
}
