/**
 * `npm run bench:claim`: the claim path measured against the database's own limit.
 *
 *   one-brand    every claim for one brand (a flash sale): the raw driver with the slot design and
 *                with the naive "first available document", and the provider over HTTP, at each
 *                concurrency;
 *   many-brands  the same claims spread over 1,000 brands: raw driver (slot) and provider;
 *   legacy       the predecessor's route with its scrypt secret check at concurrency 64: users'
 *                first calls, then the same users again (verified-secret cache), beside a raw run.
 *
 * Every run starts from freshly seeded codes and ends with the claim audit (@app/claim-audit)
 * over the database and every answer collected. Prints tables; writes JSON to bench/results/.
 * Exit code 1 when any audit found a violation.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import { hashSecret } from '@app/auth';
import { auditClaimsInDatabase, describeAudit } from '@app/claim-audit';
import { cpuSample, cpuSince } from './cpu';
import { BENCH_JWT_SECRET, repoRoot, startBenchStack, type BenchStack } from './bench-stack';
import { runHttpClaims, type ClaimRoute } from './http-claims';
import { summarizeLatencies, type ClaimJob, type RunMeasurement } from './measurement';
import {
  FERRETDB_DEFAULTS,
  MONGODB_DEFAULTS,
  parseArgs,
  resolveOptions,
  USAGE,
  UsageError,
  type BenchOptions,
  type Scenario,
} from './options';
import { runRawClaims } from './raw-claims';
import {
  compare,
  cpuTable,
  sideBySide,
  type Comparison,
  type RunRecord,
  type Target,
  type TargetCheck,
} from './report';
import { countUnpublishedClaims, seedCodes, seedUsers } from './seed';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Targets of the issue, checked at this concurrency. */
const TARGET_CONCURRENCY = 64;
const MIN_THROUGHPUT_RATIO = 0.7;
const MAX_P99_RATIO = 3;
const EVENTS_DRAIN_TIMEOUT_MS = 60_000;

interface RunSpec {
  readonly scenario: Scenario;
  readonly target: Target;
  readonly concurrency: number;
  readonly brandIds: readonly string[];
  readonly codesPerBrand: number;
  readonly jobs: readonly ClaimJob[];
  /** Prepares the run (tokens, …) and resolves the measured part. */
  readonly execute: Runner;
  /** Warm-up runs are audited but not recorded. */
  readonly warmUp?: boolean;
}

type Runner = (jobs: readonly ClaimJob[]) => Promise<() => Promise<RunMeasurement>>;

async function signTokens(jobs: readonly ClaimJob[]): Promise<string[]> {
  const key = new TextEncoder().encode(BENCH_JWT_SECRET);
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const tokens: string[] = [];
  for (const job of jobs) {
    tokens.push(
      await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(job.userId)
        .setExpirationTime(exp)
        .sign(key),
    );
  }
  return tokens;
}

/** Every job of the run a different user; brands dealt round-robin from `brandIds`. */
function jobsFor(tag: string, count: number, brandIds: readonly string[]): ClaimJob[] {
  return Array.from({ length: count }, (_, i) => ({
    brandId: brandIds[i % brandIds.length]!,
    userId: `${tag}-${i}`,
  }));
}

class ClaimBench {
  readonly runs: RunRecord[] = [];
  allAuditsOk = true;

  constructor(
    private readonly stack: BenchStack,
    private readonly options: BenchOptions,
  ) {}

  raw(design: 'slot' | 'naive') {
    return (concurrency: number): Runner =>
      (jobs) =>
        Promise.resolve(() => runRawClaims(this.stack.db, jobs, concurrency, design));
  }

  http(route: (jobs: readonly ClaimJob[]) => Promise<ClaimRoute>) {
    return (concurrency: number): Runner =>
      async (jobs) => {
        const prepared = await route(jobs);
        return () => runHttpClaims(this.stack.providerUrl, jobs, concurrency, prepared);
      };
  }

  v1 = this.http(async (jobs) => ({ kind: 'v1', tokens: await signTokens(jobs) }));

  async measure(spec: RunSpec): Promise<RunRecord> {
    const { db } = this.stack;
    const label = `${spec.scenario} ${spec.target} c=${spec.concurrency}${spec.warmUp ? ' (warm-up)' : ''}`;
    const seeded = await seedCodes(db, spec.brandIds, spec.codesPerBrand);
    const run = await spec.execute(spec.jobs);
    const cpuBefore = cpuSample(this.stack.pids);
    const measured = await run();
    const cpu = cpuSince(this.stack.pids, cpuBefore);
    let eventsPublishedAfterMs: number | null | undefined;
    if (spec.target !== 'raw-slot' && spec.target !== 'raw-naive') {
      // The next run empties the collection: let the provider finish marking this run's events.
      eventsPublishedAfterMs = await this.waitForEvents();
    }
    const audit = await auditClaimsInDatabase(db, {
      brandIds: seeded.brandIds,
      answers: measured.answers,
      expectedTotals: seeded.expectedTotals,
    });
    const created = audit.totals.answers.created;
    const record: RunRecord = {
      scenario: spec.scenario,
      target: spec.target,
      concurrency: spec.concurrency,
      brands: spec.brandIds.length,
      codes: spec.brandIds.length * spec.codesPerBrand,
      requests: measured.answers.length,
      durationMs: measured.durationMs,
      claimsPerSec: created / (measured.durationMs / 1000),
      latencyMs: summarizeLatencies(measured.latenciesMs),
      statuses: measured.statuses,
      cpuMsPerClaim: Object.fromEntries(
        Object.entries(cpu).map(([name, ms]) => [name, ms === null || created === 0 ? null : ms / created]),
      ),
      errors: { count: measured.errors.length, samples: [...new Set(measured.errors)].slice(0, 5) },
      audit: {
        ok: audit.ok,
        summary: describeAudit(audit, 0),
        violations: audit.violations.slice(0, 50),
        totals: audit.totals,
      },
      ...(eventsPublishedAfterMs !== undefined ? { eventsPublishedAfterMs } : {}),
    };
    const { p50, p99 } = record.latencyMs;
    const cpuText = Object.entries(record.cpuMsPerClaim)
      .map(([name, ms]) => `${name} ${ms === null ? '?' : ms.toFixed(2)}`)
      .join(', ');
    log(
      `${label}: ${record.claimsPerSec.toFixed(1)} claims/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; ` +
        `CPU ms/claim: ${cpuText}; ` +
        `audit ${describeAudit(audit, 5)}` +
        (record.errors.count > 0 ? `; ${record.errors.count} errors, e.g. ${record.errors.samples[0]}` : ''),
    );
    if (!audit.ok) this.allAuditsOk = false;
    if (!spec.warmUp) this.runs.push(record);
    return record;
  }

  private async waitForEvents(): Promise<number | null> {
    const started = Date.now();
    while (Date.now() - started < EVENTS_DRAIN_TIMEOUT_MS) {
      if ((await countUnpublishedClaims(this.stack.db)) === 0) return Date.now() - started;
      await sleep(100);
    }
    log(`claim events still unpublished after ${EVENTS_DRAIN_TIMEOUT_MS} ms`);
    return null;
  }

  async warmUp(): Promise<void> {
    const jobs = jobsFor('warm', Math.min(100, this.options.claims), ['warm-up']);
    for (const [target, execute] of [
      ['raw-slot', this.raw('slot')(8)],
      ['http-v1', this.v1(8)],
    ] as const) {
      await this.measure({
        scenario: 'one-brand',
        target,
        concurrency: 8,
        brandIds: ['warm-up'],
        codesPerBrand: jobs.length * 2,
        jobs,
        execute,
        warmUp: true,
      });
    }
  }

  async oneBrand(): Promise<void> {
    const { claims, codesFactor, concurrencies } = this.options;
    const codesPerBrand = Math.ceil(claims * codesFactor);
    for (const concurrency of concurrencies) {
      for (const [target, execute] of [
        ['raw-slot', this.raw('slot')],
        ['raw-naive', this.raw('naive')],
        ['http-v1', this.v1],
      ] as const) {
        const brandId = `one-${target}-c${concurrency}`;
        await this.measure({
          scenario: 'one-brand',
          target,
          concurrency,
          brandIds: [brandId],
          codesPerBrand,
          jobs: jobsFor(`u1-${target}-c${concurrency}`, claims, [brandId]),
          execute: execute(concurrency),
        });
      }
    }
  }

  async manyBrands(): Promise<void> {
    const { claims, codesFactor, concurrencies, brands } = this.options;
    const brandIds = Array.from({ length: brands }, (_, i) => `many-${i}`);
    // At least as many codes per brand as claims dealt to it, so no brand runs dry.
    const codesPerBrand = Math.max(1, Math.ceil((claims * codesFactor) / brands));
    for (const concurrency of concurrencies) {
      for (const [target, execute] of [
        ['raw-slot', this.raw('slot')],
        ['http-v1', this.v1],
      ] as const) {
        // Shuffled, so that consecutive claims do not walk the brands in insertion order.
        const dealt = [...brandIds].sort(() => Math.random() - 0.5);
        await this.measure({
          scenario: 'many-brands',
          target,
          concurrency,
          brandIds,
          codesPerBrand,
          jobs: jobsFor(`um-${target}-c${concurrency}`, claims, dealt),
          execute: execute(concurrency),
        });
      }
    }
  }

  async legacy(): Promise<void> {
    const { legacyClaims, legacyConcurrency: concurrency, codesFactor } = this.options;
    const codesPerBrand = Math.ceil(legacyClaims * codesFactor);
    const secret = randomBytes(18).toString('base64url');
    const users = Array.from({ length: legacyClaims }, (_, i) => `legacy-user-${i}`);
    await seedUsers(this.stack.db, users, await hashSecret(secret));
    const legacyRoute = this.http(() => Promise.resolve({ kind: 'legacy', secret }));
    const runs = [
      ['raw-slot', 'legacy-raw', this.raw('slot')(concurrency)],
      // Each user's first call: a full scrypt check.
      ['legacy-first-call', 'legacy-first', legacyRoute(concurrency)],
      // The same users again, now claiming another brand: the check is served from the cache.
      ['legacy-repeat-caller', 'legacy-repeat', legacyRoute(concurrency)],
    ] as const;
    for (const [target, brandId, execute] of runs) {
      await this.measure({
        scenario: 'legacy',
        target,
        concurrency,
        brandIds: [brandId],
        codesPerBrand,
        jobs: users.map((userId) => ({ brandId, userId })),
        execute,
      });
    }
  }
}

function targetChecks(comparisons: readonly Comparison[]): TargetCheck[] {
  return comparisons
    .filter(
      (c) => c.subject === 'http-v1' && c.baseline === 'raw-slot' && c.concurrency === TARGET_CONCURRENCY,
    )
    .flatMap((c) => [
      {
        name: `${c.scenario}: HTTP/raw throughput at concurrency ${c.concurrency}`,
        value: c.throughputRatio,
        limit: `≥ ${MIN_THROUGHPUT_RATIO}`,
        met: c.throughputRatio >= MIN_THROUGHPUT_RATIO,
      },
      {
        name: `${c.scenario}: HTTP p99 / raw p99 at concurrency ${c.concurrency}`,
        value: c.p99Ratio,
        limit: `≤ ${MAX_P99_RATIO}`,
        met: c.p99Ratio <= MAX_P99_RATIO,
      },
    ]);
}

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
    'Its findAndModify is atomic only one command at a time, so the provider and the raw driver each use ONE',
    'connection: claims are serialised, throughput stays flat as concurrency grows and latency grows with it.',
    'For the same reason the naive design is not punished here (no write conflicts on one connection, and no',
    "sort), while on MongoDB every concurrent naive claim hits the same document: see the README's benchmark section.",
    'db-bound = FerretDB CPU per claim of the baseline ÷ that of the subject: the throughput ratio if the database',
    'were the only limit. It hardly moves with other load on the machine; claims/s ratios do.',
  ];
}

async function main(): Promise<number> {
  const given = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const stack = await startBenchStack(log);
  try {
    const options = resolveOptions(
      given,
      stack.server.kind === 'FerretDB' ? FERRETDB_DEFAULTS : MONGODB_DEFAULTS,
    );
    log(
      `${stack.server.kind} ${stack.server.version}, pool ${stack.poolSize}; provider at ${stack.providerUrl}`,
    );
    const bench = new ClaimBench(stack, options);
    await bench.warmUp();
    if (options.scenarios.has('one-brand')) await bench.oneBrand();
    if (options.scenarios.has('many-brands')) await bench.manyBrands();
    if (options.scenarios.has('legacy')) await bench.legacy();

    const comparisons = [
      ...compare(bench.runs, 'http-v1', 'raw-slot'),
      ...compare(bench.runs, 'raw-naive', 'raw-slot'),
      ...compare(bench.runs, 'legacy-first-call', 'raw-slot'),
      ...compare(bench.runs, 'legacy-repeat-caller', 'raw-slot'),
    ];
    const targets = targetChecks(comparisons);
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
    const httpVsRaw = { title: 'HTTP ÷ raw slot', subject: 'http-v1', baseline: 'raw-slot' } as const;
    if (options.scenarios.has('one-brand')) {
      section(
        `One brand: ${options.claims} claims per run over ${Math.ceil(options.claims * options.codesFactor)} codes`,
        sideBySide(
          bench.runs,
          'one-brand',
          ['raw-slot', 'raw-naive', 'http-v1'],
          [httpVsRaw, { title: 'naive ÷ slot', subject: 'raw-naive', baseline: 'raw-slot' }],
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
        `Predecessor's route with its scrypt secret check: ${options.legacyClaims} users, a first call each, ` +
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
    section(
      `CPU ms per new claim at concurrency ${cpuConcurrency} (bench = this process: raw driver or load generator)`,
      cpuTable(bench.runs, cpuConcurrency),
    );
    out.push('Targets (HTTP vs raw driver, slot design):');
    for (const t of targets)
      out.push(`  ${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.value.toFixed(3)} (${t.limit})`);
    out.push(
      `  ${bench.allAuditsOk ? 'met   ' : 'MISSED'} claim audit after every run (incl. warm-up): ` +
        (bench.allAuditsOk ? 'no violations' : 'VIOLATIONS, see above'),
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
      notes,
    };
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    out.push('', `JSON: ${file}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return bench.allAuditsOk ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `bench:claim failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
