/** The printed tables, the targets and the JSON record of a `npm run bench:claim` run. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot, type BenchStack } from './bench-stack';
import type { ClaimBench } from './claim-bench';
import type { BenchOptions } from './options';
import { compare, cpuTable, sideBySide } from './report';
import { servingCostTable, TARGET_CONCURRENCY, targetChecks } from './targets';

function notesFor(stack: BenchStack, options: BenchOptions): string[] {
  if (stack.server.kind === 'MongoDB') {
    return [
      `MongoDB ${stack.server.version}; provider and raw driver each with a pool of ${stack.poolSize} connections.`,
    ];
  }
  return [
    `Server: FerretDB ${stack.server.version}, the MongoDB-compatible dev server (no MongoDB can run on this machine).`,
    'FerretDB answers every claim by reading the whole codes collection and sorting in memory: a claim costs',
    `more as the collection grows, so runs are kept small (${options.claims} claims over ` +
      `${Math.ceil(options.claims * options.codesFactor)} codes; ${options.brands} brands for the spread).`,
    `The dev server runs commands one at a time (its findAndModify is atomic only that way), whatever the pool`,
    `(${stack.poolSize} here): throughput stays flat as concurrency grows and latency grows with it.`,
    'For the same reason the naive design is not punished here (no write conflicts when commands run one at a',
    "time, and no sort), while on MongoDB every concurrent naive claim hits the same document: see the README's",
    'benchmark section.',
    'db-bound = FerretDB CPU per claim of the baseline ÷ that of the subject: the throughput ratio if the database',
    'were the only limit. It hardly moves with other load on the machine; claims/s ratios do.',
  ];
}

/**
 * The tables, targets and notes of the whole run, as printed; the same, with every record, is
 * written as JSON to the results folder, whose path ends the text.
 */
export function summarize(
  bench: ClaimBench,
  stack: BenchStack,
  options: BenchOptions,
  started: { at: Date; loadavg: readonly number[] },
): string {
  const startedAt = started.at;
  const loadAtStart = started.loadavg;
  const comparisons = [
    ...compare(bench.runs, 'http-v1', 'raw-slot'),
    ...compare(bench.runs, 'http-v1', 'http-floor'),
    ...compare(bench.runs, 'raw-naive', 'raw-slot'),
    ...compare(bench.runs, 'legacy-first-call', 'raw-slot'),
    ...compare(bench.runs, 'legacy-repeat-caller', 'raw-slot'),
  ];
  const notes = notesFor(stack, options);
  const load = loadAtStart.map((l) => l.toFixed(2)).join(' ');
  const out: string[] = [
    '',
    `${stack.server.kind} ${stack.server.version}, pool ${stack.poolSize} on both sides; ${cpus().length} CPUs, ` +
      `load average ${load} at start (other work on the machine skews every figure)`,
    '',
  ];
  const section = (title: string, table: string) => out.push(title, table, '');
  const cpuConcurrency = options.concurrencies.includes(TARGET_CONCURRENCY)
    ? TARGET_CONCURRENCY
    : Math.max(...options.concurrencies);
  const targets = targetChecks(bench.runs, cpuConcurrency);
  const httpVsRaw = { title: 'HTTP ÷ raw slot', subject: 'http-v1', baseline: 'raw-slot' } as const;
  if (options.scenarios.has('one-brand')) {
    section(
      `One brand: ${options.claims} claims per run over ${Math.ceil(options.claims * options.codesFactor)} codes`,
      sideBySide(
        bench.runs,
        'one-brand',
        ['raw-slot', 'raw-naive', 'http-floor', 'http-v1', 'http-v1-repeat'],
        [
          httpVsRaw,
          { title: 'HTTP ÷ floor', subject: 'http-v1', baseline: 'http-floor' },
          { title: 'naive ÷ slot', subject: 'raw-naive', baseline: 'raw-slot' },
        ],
      ),
    );
  }
  if (options.scenarios.has('many-brands')) {
    section(
      `${options.brands} brands: ${options.claims} claims per run, dealt round-robin`,
      sideBySide(bench.runs, 'many-brands', ['raw-slot', 'http-v1'], [httpVsRaw]),
    );
  }
  if (options.scenarios.has('legacy')) {
    section(
      `Predecessor's route with its secret check: ${options.legacyClaims} users, a first call each, ` +
        'then a call each for another brand',
      sideBySide(
        bench.runs,
        'legacy',
        ['raw-slot', 'legacy-first-call', 'legacy-repeat-caller'],
        [
          { title: 'first ÷ raw', subject: 'legacy-first-call', baseline: 'raw-slot' },
          { title: 'repeat ÷ raw', subject: 'legacy-repeat-caller', baseline: 'raw-slot' },
        ],
      ),
    );
  }
  if (options.scenarios.has('legacy-cold')) {
    section(
      `Flash sale of first-time users on the predecessor's route: ${options.coldUsers} users, ` +
        `${options.coldCodes} codes`,
      sideBySide(bench.runs, 'legacy-cold', ['legacy-first-call']),
    );
  }
  section(
    `CPU ms per answer (a claim, a held code or none left) at concurrency ${cpuConcurrency} (bench = this process: raw driver or load generator)`,
    cpuTable(bench.runs, cpuConcurrency),
  );
  section(
    `What serving a claim costs the serving process (provider: JWT, rate limits, outbox, metrics, logs at info)`,
    servingCostTable(bench.runs, cpuConcurrency),
  );
  out.push('Targets:');
  for (const t of targets)
    out.push(
      `  ${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${Number.isFinite(t.value) ? t.value.toFixed(3) : '–'} (${t.limit})`,
    );
  out.push(
    `  ${bench.allAuditsOk ? 'met   ' : 'MISSED'} claim audit after every run (incl. warm-up): ` +
      (bench.allAuditsOk ? 'no violations' : 'VIOLATIONS, see above'),
    `  ${bench.failedRuns.length === 0 ? 'met   ' : 'MISSED'} every answer a claim, a held code or "none left": ` +
      (bench.failedRuns.length === 0 ? 'yes' : `no, in ${bench.failedRuns.length} run(s):`),
    ...bench.failedRuns.map((run) => `           ${run}`),
    '',
    ...notes,
  );

  const resultDir = resolve(repoRoot(), options.outDir);
  mkdirSync(resultDir, { recursive: true });
  const file = join(resultDir, `claim-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const result = {
    benchmark: 'claim',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadavgAtStart: loadAtStart,
      loadavgAtEnd: loadavg(),
    },
    server: stack.server,
    poolSize: stack.poolSize,
    options: { ...options, scenarios: [...options.scenarios] },
    runs: bench.runs,
    comparisons,
    targets,
    allAuditsOk: bench.allAuditsOk,
    failedRuns: bench.failedRuns,
    notes,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  out.push('', `JSON: ${file}`);
  return out.join('\n');
}
