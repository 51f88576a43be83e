/**
 * The targets of the claim path, checked on one run's records, and the table of what serving a
 * claim costs the serving process beside the raw driver and the bare floor.
 */
import {
  compare,
  failedAnswersOf,
  renderTable,
  type RunRecord,
  type Target,
  type TargetCheck,
} from './report';
import type { Scenario } from './options';

/** Targets are checked at this concurrency (the highest measured when it was not). */
export const TARGET_CONCURRENCY = 64;
const MIN_THROUGHPUT_RATIO = 0.7;
const MAX_P99_RATIO = 3;
/** Provider CPU ms per claim, every feature on. */
const MAX_V1_CPU_MS = 1.0;
const MAX_V1_FLOOR_RATIO = 2.5;
const MAX_REPEAT_CPU_MS = 0.5;
const MAX_LEGACY_FIRST_CPU_MS = 1.5;

/** Each row: who serves, and which process's CPU is its cost. */
const COST_ROWS: readonly { scenario: Scenario; target: Target; process: string }[] = [
  { scenario: 'one-brand', target: 'raw-slot', process: 'bench' },
  { scenario: 'one-brand', target: 'http-floor', process: 'floor' },
  { scenario: 'one-brand', target: 'http-v1', process: 'provider' },
  { scenario: 'one-brand', target: 'http-v1-repeat', process: 'provider' },
  { scenario: 'legacy', target: 'legacy-first-call', process: 'provider' },
  { scenario: 'legacy', target: 'legacy-repeat-caller', process: 'provider' },
  { scenario: 'legacy-cold', target: 'legacy-first-call', process: 'provider' },
];

const find = (runs: readonly RunRecord[], scenario: Scenario, target: Target, concurrency: number) =>
  runs.find((r) => r.scenario === scenario && r.target === target && r.concurrency === concurrency);

/** CPU ms per claim of the serving process; NaN when unknown or when answers failed. */
function servingCpu(run: RunRecord | undefined, process: string): number {
  const ms = run?.cpuMsPerClaim[process];
  return run && ms !== null && ms !== undefined && failedAnswersOf(run) === 0 ? ms : NaN;
}

/** The concurrency the legacy scenarios ran at (their own option), else `concurrency`. */
const rowConcurrency = (runs: readonly RunRecord[], scenario: Scenario, concurrency: number) =>
  scenario === 'one-brand'
    ? concurrency
    : (runs.find((r) => r.scenario === scenario)?.concurrency ?? concurrency);

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** One row per serving set-up: its own process's CPU per claim, and that over the floor's. */
export function servingCostTable(runs: readonly RunRecord[], concurrency: number): string {
  const floor = servingCpu(find(runs, 'one-brand', 'http-floor', concurrency), 'floor');
  const rows = COST_ROWS.flatMap(({ scenario, target, process }) => {
    const run = find(runs, scenario, target, rowConcurrency(runs, scenario, concurrency));
    if (!run) return [];
    const ms = servingCpu(run, process);
    const failed = failedAnswersOf(run);
    return [
      [
        scenario,
        `${target} (${process})`,
        failed ? `${failed} failed` : fixed(ms),
        fixed(ms / floor),
        String(run.concurrency),
      ],
    ];
  });
  return renderTable(
    [
      { title: '', columns: ['scenario', 'run (process measured)'] },
      { title: 'serving CPU', columns: ['ms/claim', '× floor', 'conc'] },
    ],
    rows,
  );
}

function atMost(name: string, value: number, limit: number): TargetCheck {
  return { name, value, limit: `≤ ${limit}`, met: value <= limit };
}

function atLeast(name: string, value: number, limit: number): TargetCheck {
  return { name, value, limit: `≥ ${limit}`, met: value >= limit };
}

/**
 * Every target that the run measured. NaN values (failed answers, a missing process) miss their
 * target, and the name says why.
 */
export function targetChecks(runs: readonly RunRecord[], concurrency: number): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const [subject, scenarios] of [
    ['http-v1', ['one-brand', 'many-brands']],
    ['legacy-first-call', ['legacy']],
  ] as const) {
    for (const c of compare(runs, subject, 'raw-slot')) {
      const legacyRun = subject === 'legacy-first-call';
      if (!(scenarios as readonly Scenario[]).includes(c.scenario)) continue;
      if (!legacyRun && c.concurrency !== concurrency) continue;
      const failed = c.failedAnswers ? ` (${c.failedAnswers} failed answers: no ratio)` : '';
      const what = `${c.scenario}: ${subject} ÷ raw at concurrency ${c.concurrency}${failed}`;
      checks.push(atLeast(`${what}, claims/s`, c.throughputRatio, MIN_THROUGHPUT_RATIO));
      if (!legacyRun) checks.push(atMost(`${what}, p99`, c.p99Ratio, MAX_P99_RATIO));
    }
  }
  const cpu = (scenario: Scenario, target: Target, process = 'provider') =>
    servingCpu(find(runs, scenario, target, rowConcurrency(runs, scenario, concurrency)), process);
  const v1 = cpu('one-brand', 'http-v1');
  if (find(runs, 'one-brand', 'http-v1', concurrency)) {
    checks.push(atMost(`provider CPU ms per v1 claim at concurrency ${concurrency}`, v1, MAX_V1_CPU_MS));
    const floor = cpu('one-brand', 'http-floor', 'floor');
    checks.push(atMost('provider CPU per v1 claim ÷ bare floor', v1 / floor, MAX_V1_FLOOR_RATIO));
    checks.push(
      atMost('provider CPU ms per repeat v1 claim', cpu('one-brand', 'http-v1-repeat'), MAX_REPEAT_CPU_MS),
    );
  }
  for (const scenario of ['legacy', 'legacy-cold'] as const) {
    if (!runs.some((r) => r.scenario === scenario)) continue;
    checks.push(
      atMost(
        `${scenario}: provider CPU ms per first legacy call`,
        cpu(scenario, 'legacy-first-call'),
        MAX_LEGACY_FIRST_CPU_MS,
      ),
    );
  }
  return checks;
}
