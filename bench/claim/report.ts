/** The printed tables and the JSON result of a benchmark run. */
import type { ClaimAuditReport } from '../../test/support/claim-audit';
import type { LatencySummary } from './measurement';
import type { Scenario } from './options';

export type Target =
  | 'raw-slot'
  | 'raw-naive'
  | 'http-floor'
  | 'http-v1'
  | 'http-v1-repeat'
  | 'legacy-first-call'
  | 'legacy-repeat-caller';

export const TARGET_LABELS: Readonly<Record<Target, string>> = {
  'raw-slot': 'raw driver, slot',
  'raw-naive': 'raw driver, naive',
  'http-floor': 'bare Fastify floor',
  'http-v1': 'provider HTTP v1',
  'http-v1-repeat': 'provider v1, repeat',
  'legacy-first-call': 'legacy, first call',
  'legacy-repeat-caller': 'legacy, repeat caller',
};

export interface RunRecord {
  readonly scenario: Scenario;
  readonly target: Target;
  readonly concurrency: number;
  readonly brands: number;
  readonly codes: number;
  readonly requests: number;
  readonly durationMs: number;
  /** When the measured part ran, on the machine's monotonic clock (µs): to cut profiles. */
  readonly window: { readonly fromUs: number; readonly toUs: number };
  /** Answers as meant per second: new claims, held codes (repeat callers), "none left". */
  readonly claimsPerSec: number;
  readonly latencyMs: LatencySummary;
  readonly statuses: Readonly<Record<string, number>>;
  /**
   * CPU ms per answer as meant (see claimsPerSec), of each process (bench = this process: the load generator or
   * the raw driver; floor = the bare handler). Whatever else a process does meanwhile (timers,
   * heartbeats, the outbox scan) is in it: runs must be dense for this to be a cost per claim.
   */
  readonly cpuMsPerClaim: Readonly<Record<string, number | null>>;
  readonly errors: { readonly count: number; readonly samples: readonly string[] };
  readonly audit: {
    readonly ok: boolean;
    readonly summary: string;
    readonly violations: ClaimAuditReport['violations'];
    readonly totals: ClaimAuditReport['totals'];
  };
  /** HTTP runs: how long until every claim's event was marked published (null: not within the wait). */
  readonly eventsPublishedAfterMs?: number | null;
}

export interface Comparison {
  readonly scenario: Scenario;
  readonly concurrency: number;
  readonly subject: Target;
  readonly baseline: Target;
  /** Answers of either run that were neither a claim, a held code nor "no codes left"; see below. */
  readonly failedAnswers: number;
  /** subject claims/s ÷ baseline claims/s; NaN when an answer failed (a failure is not a speed). */
  readonly throughputRatio: number;
  /** subject p99 ÷ baseline p99; NaN when an answer failed. */
  readonly p99Ratio: number;
  /**
   * Database CPU per claim, baseline ÷ subject (when the bench started the database server): the
   * throughput ratio the two would reach if the database were the only limit. Unlike the measured
   * ratio, it hardly moves with other load on the machine.
   */
  readonly databaseBoundRatio: number | null;
}

/** The database server's name in RunRecord.cpuMsPerClaim, when the bench started it. */
export const DATABASE_PROCESS = 'ferretdb';

export interface TargetCheck {
  readonly name: string;
  readonly value: number;
  readonly limit: string;
  readonly met: boolean;
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** Answers the audit counted as failed (429, 5xx, timeouts…) plus requests that got no answer. */
export const failedAnswersOf = (run: RunRecord): number => run.audit.totals.answers.failed + run.errors.count;

const ratioOf = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;

export function compare(runs: readonly RunRecord[], subject: Target, baseline: Target): Comparison[] {
  return runs
    .filter((r) => r.target === subject)
    .flatMap((s) => {
      const b = runs.find(
        (r) => r.target === baseline && r.scenario === s.scenario && r.concurrency === s.concurrency,
      );
      if (!b) return [];
      // A run whose answers failed measured how fast things fail: its ratios would mislead.
      const failedAnswers = failedAnswersOf(s) + failedAnswersOf(b);
      return [
        {
          scenario: s.scenario,
          concurrency: s.concurrency,
          subject,
          baseline,
          failedAnswers,
          throughputRatio: failedAnswers ? NaN : s.claimsPerSec / b.claimsPerSec,
          p99Ratio: failedAnswers ? NaN : s.latencyMs.p99 / b.latencyMs.p99,
          databaseBoundRatio: ratioOf(b.cpuMsPerClaim[DATABASE_PROCESS], s.cpuMsPerClaim[DATABASE_PROCESS]),
        },
      ];
    });
}

interface Group {
  readonly title: string;
  readonly columns: readonly string[];
}

/** Right-aligned columns under group titles that span them. */
export function renderTable(groups: readonly Group[], rows: readonly (readonly string[])[]): string {
  const columns = groups.flatMap((g) => g.columns);
  const widths = columns.map(
    (title, i) => Math.max(title.length, ...rows.map((r) => (r[i] ?? '').length)) + 2,
  );
  let at = 0;
  const titles = groups.map((g) => {
    const span = widths.slice(at, (at += g.columns.length)).reduce((a, b) => a + b, 0);
    return g.title.length >= span ? ` ${g.title}` : g.title.padStart(span);
  });
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('');
  return [titles.join(''), line(columns), ...rows.map(line)].join('\n');
}

/**
 * One row per concurrency, the targets side by side: claims/s, p50 and p99 of each, then the
 * ratios of each subject to its baseline, then the audit verdict of the row's runs.
 */
export function sideBySide(
  runs: readonly RunRecord[],
  scenario: Scenario,
  targets: readonly Target[],
  ratios: readonly { readonly title: string; readonly subject: Target; readonly baseline: Target }[] = [],
): string {
  const mine = runs.filter((r) => r.scenario === scenario);
  const concurrencies = [...new Set(mine.map((r) => r.concurrency))].sort((a, b) => a - b);
  const present = targets.filter((t) => mine.some((r) => r.target === t));
  const groups: Group[] = [
    { title: '', columns: ['conc'] },
    ...present.map((t) => ({ title: TARGET_LABELS[t], columns: ['claims/s', 'p50 ms', 'p99 ms'] })),
    ...ratios.map((r) => ({ title: r.title, columns: ['claims/s', 'p99', 'db-bound'] })),
    { title: '', columns: ['audit'] },
  ];
  const rows = concurrencies.map((concurrency) => {
    const row = [String(concurrency)];
    let auditOk = true;
    for (const target of present) {
      const run = mine.find((r) => r.target === target && r.concurrency === concurrency);
      if (run) auditOk &&= run.audit.ok;
      row.push(
        ...(run
          ? [fixed(run.claimsPerSec), fixed(run.latencyMs.p50), fixed(run.latencyMs.p99)]
          : ['–', '–', '–']),
      );
    }
    for (const ratio of ratios) {
      const c = compare(mine, ratio.subject, ratio.baseline).find((x) => x.concurrency === concurrency);
      const failed = c?.failedAnswers ? `${c.failedAnswers} failed` : undefined;
      row.push(
        c ? (failed ?? fixed(c.throughputRatio, 2)) : '–',
        c ? (failed ?? `${fixed(c.p99Ratio, 2)}×`) : '–',
        c?.databaseBoundRatio ? fixed(c.databaseBoundRatio, 2) : '–',
      );
    }
    row.push(auditOk ? 'ok' : 'VIOLATIONS');
    return row;
  });
  return renderTable(groups, rows);
}

/** CPU ms per answer of each process, one row per run at `concurrency` (and every legacy run). */
export function cpuTable(runs: readonly RunRecord[], concurrency: number): string {
  const mine = runs.filter((r) => r.concurrency === concurrency || r.scenario.startsWith('legacy'));
  const names = [...new Set(mine.flatMap((r) => Object.keys(r.cpuMsPerClaim)))].sort();
  const rows = mine.map((r) => [
    r.scenario,
    TARGET_LABELS[r.target],
    ...names.map((n) => {
      const ms = r.cpuMsPerClaim[n];
      return ms === null || ms === undefined ? '–' : fixed(ms, 2);
    }),
  ]);
  return renderTable(
    [
      { title: '', columns: ['scenario', 'run'] },
      { title: 'CPU ms per answer', columns: names },
    ],
    rows,
  );
}
