/**
 * One run of `npm run bench:claim`: seeds fresh codes (or continues on the last run's), runs the
 * claims (raw driver, the bare floor handler or the provider over HTTP), waits for the provider's
 * events, audits every answer against the database, and keeps a record of the figures. The
 * scenarios that compose runs are in scenarios.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import {
  auditClaimsInDatabase,
  describeAudit,
  readClaimedCounts,
  type ClaimAnswer,
} from '../../test/support/claim-audit';
import { cpuSample, cpuSince } from './cpu';
import { BENCH_JWT_SECRET, type BenchStack } from './bench-stack';
import { runHttpClaims, type ClaimRoute } from './http-claims';
import { summarizeLatencies, type ClaimJob, type RunMeasurement } from './measurement';
import type { BenchOptions, Scenario } from './options';
import { runRawClaims } from './raw-claims';
import { failedAnswersOf, type RunRecord, type Target } from './report';
import { countUnpublishedClaims, seedCodes, type SeededRun } from './seed';

/** The monotonic clock every process on the machine shares (V8's profiles use it too), in µs. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const EVENTS_DRAIN_TIMEOUT_MS = 60_000;

export interface RunSpec {
  readonly scenario: Scenario;
  readonly target: Target;
  readonly concurrency: number;
  readonly brandIds: readonly string[];
  readonly codesPerBrand: number;
  readonly jobs: readonly ClaimJob[];
  /** Claim on the codes an earlier run left (repeat callers) instead of seeding fresh ones. */
  readonly after?: MeasuredRun;
  /** Prepares the run (tokens, …) and resolves the measured part. */
  readonly execute: Runner;
  /** Warm-up runs are audited but not recorded. */
  readonly warmUp?: boolean;
}

export type Runner = (jobs: readonly ClaimJob[]) => Promise<() => Promise<RunMeasurement>>;

export async function signTokens(jobs: readonly ClaimJob[]): Promise<string[]> {
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

/** What a later run needs of an earlier one to continue on its codes. */
export interface MeasuredRun {
  readonly record: RunRecord;
  readonly seeded: SeededRun;
  readonly answers: readonly ClaimAnswer[];
}

/** Every job of the run a different user; brands dealt round-robin from `brandIds`. */
export function jobsFor(tag: string, count: number, brandIds: readonly string[]): ClaimJob[] {
  return Array.from({ length: count }, (_, i) => ({
    brandId: brandIds[i % brandIds.length]!,
    userId: `${tag}-${i}`,
  }));
}

export class ClaimBench {
  readonly runs: RunRecord[] = [];
  allAuditsOk = true;
  /** Runs (warm-up included) with answers that were not a claim, a held code or "none left". */
  readonly failedRuns: string[] = [];

  constructor(
    readonly stack: BenchStack,
    readonly options: BenchOptions,
  ) {}

  raw(design: 'slot' | 'naive') {
    return (concurrency: number): Runner =>
      (jobs) =>
        Promise.resolve(() => runRawClaims(this.stack.db, jobs, concurrency, design));
  }

  http(route: (jobs: readonly ClaimJob[]) => Promise<ClaimRoute>, server: 'provider' | 'floor' = 'provider') {
    return (concurrency: number): Runner =>
      async (jobs) => {
        const prepared = await route(jobs);
        const url = server === 'floor' ? this.stack.floorUrl : this.stack.providerUrl;
        return () => runHttpClaims(url, jobs, concurrency, prepared);
      };
  }

  private readonly v1Route = async (jobs: readonly ClaimJob[]): Promise<ClaimRoute> => ({
    kind: 'v1',
    tokens: await signTokens(jobs),
  });

  v1 = this.http(this.v1Route);
  /** The same requests to the bare handler (floor-server.ts). */
  floor = this.http(this.v1Route, 'floor');

  async measure(spec: RunSpec): Promise<MeasuredRun> {
    const { db } = this.stack;
    const label = `${spec.scenario} ${spec.target} c=${spec.concurrency}${spec.warmUp ? ' (warm-up)' : ''}`;
    const seeded = spec.after?.seeded ?? (await seedCodes(db, spec.brandIds, spec.codesPerBrand));
    const claimedBefore = spec.after ? await readClaimedCounts(db, seeded.brandIds) : undefined;
    const run = await spec.execute(spec.jobs);
    const cpuBefore = cpuSample(this.stack.pids);
    const fromUs = monotonicUs();
    const measured = await run();
    const window = { fromUs, toUs: monotonicUs() };
    const cpu = cpuSince(this.stack.pids, cpuBefore);
    let eventsPublishedAfterMs: number | null | undefined;
    if (spec.target !== 'raw-slot' && spec.target !== 'raw-naive' && spec.target !== 'http-floor') {
      // The next run empties the collection: let the provider finish marking this run's events.
      eventsPublishedAfterMs = await this.waitForEvents();
    }
    const audit = await auditClaimsInDatabase(db, {
      brandIds: seeded.brandIds,
      answers: measured.answers,
      expectedTotals: seeded.expectedTotals,
      ...(claimedBefore ? { claimedBefore } : {}),
    });
    // CPU is spread over every request answered as meant: a new claim, a held code (repeat
    // callers) or "none left" (a flash sale's latecomers, whose checks cost as much).
    const { created, held, exhausted } = audit.totals.answers;
    const answered = created + held + exhausted;
    const perAnswer = (ms: number | null) => (ms === null || answered === 0 ? null : ms / answered);
    const record: RunRecord = {
      scenario: spec.scenario,
      target: spec.target,
      concurrency: spec.concurrency,
      brands: spec.brandIds.length,
      codes: spec.brandIds.length * spec.codesPerBrand,
      requests: measured.answers.length,
      durationMs: measured.durationMs,
      window,
      claimsPerSec: answered / (measured.durationMs / 1000),
      latencyMs: summarizeLatencies(measured.latenciesMs),
      statuses: measured.statuses,
      cpuMsPerClaim: Object.fromEntries(Object.entries(cpu).map(([name, ms]) => [name, perAnswer(ms)])),
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
      `${label}: ${record.claimsPerSec.toFixed(1)} answers/s (${created} new, ${held} held, ${exhausted} none left), p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; ` +
        `CPU ms/claim: ${cpuText}; ` +
        `audit ${describeAudit(audit, 5)}` +
        (record.errors.count > 0 ? `; ${record.errors.count} errors, e.g. ${record.errors.samples[0]}` : ''),
    );
    if (!audit.ok) this.allAuditsOk = false;
    const failed = failedAnswersOf(record);
    if (failed > 0)
      this.failedRuns.push(`${label}: ${failed} failed answers, statuses ${JSON.stringify(record.statuses)}`);
    if (!spec.warmUp) this.runs.push(record);
    return { record, seeded, answers: measured.answers };
  }

  /** ms until every claim's event was marked published; null when not within the wait. */
  async waitForEvents(): Promise<number | null> {
    const started = Date.now();
    while (Date.now() - started < EVENTS_DRAIN_TIMEOUT_MS) {
      if ((await countUnpublishedClaims(this.stack.db)) === 0) return Date.now() - started;
      await sleep(100);
    }
    log(`claim events still unpublished after ${EVENTS_DRAIN_TIMEOUT_MS} ms`);
    return null;
  }
}
