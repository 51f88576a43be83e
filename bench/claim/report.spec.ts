import { compare, sideBySide, type RunRecord, type Target } from './report';

function run(target: Target, claimsPerSec: number, failed = 0, errors = 0): RunRecord {
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
        newClaims: 128 - failed,
        answers: { created: 128 - failed, held: 0, exhausted: 0, failed },
      },
    },
  };
}

describe('compare', () => {
  it('gives the ratios of two clean runs', () => {
    const [c] = compare(
      [run('legacy-repeat-caller', 50), run('raw-slot', 100)],
      'legacy-repeat-caller',
      'raw-slot',
    );
    expect(c).toMatchObject({ failedAnswers: 0, throughputRatio: 0.5, p99Ratio: 1 });
  });

  it('gives no ratio when answers failed: 115 of 128 refused is not a throughput', () => {
    const runs = [run('legacy-repeat-caller', 13, 115), run('raw-slot', 100, 0, 2)];
    const [c] = compare(runs, 'legacy-repeat-caller', 'raw-slot');
    expect(c!.failedAnswers).toBe(117);
    expect(c!.throughputRatio).toBeNaN();
    expect(c!.p99Ratio).toBeNaN();
    const table = sideBySide(
      runs,
      'legacy',
      ['raw-slot', 'legacy-repeat-caller'],
      [{ title: 'repeat ÷ raw', subject: 'legacy-repeat-caller', baseline: 'raw-slot' }],
    );
    expect(table).toContain('117 failed');
  });
});
