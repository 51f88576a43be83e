/**
 * The runs of `npm run bench:claim`: each seeds fresh codes, runs the claims (raw driver or
 * provider over HTTP), waits for the provider's events, audits every answer against the
 * database, and keeps a record of the figures.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import { hashSecret } from '@app/auth';
import { auditClaimsInDatabase, describeAudit } from '../../test/support/claim-audit';
import { cpuSample, cpuSince } from './cpu';
import { BENCH_JWT_SECRET, type BenchStack } from './bench-stack';
import { runHttpClaims, type ClaimRoute } from './http-claims';
import { summarizeLatencies, type ClaimJob, type RunMeasurement } from './measurement';
import type { BenchOptions, Scenario } from './options';
import { runRawClaims } from './raw-claims';
import type { RunRecord, Target } from './report';
import { countUnpublishedClaims, seedCodes, seedUsers } from './seed';

export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

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

export class ClaimBench {
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
