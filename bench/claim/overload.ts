/**
 * Scenario `overload`: a flash sale past capacity. The provider's capacity is measured (closed
 * loop), and its latency unloaded (one claim at a time); then a provider with load shedding sized
 * from those two offers itself to about 5× that capacity, open loop, for 20 s. It passes when every
 * answer is 201/200/409/429/503 (no timeout, no connection error), the admitted claims' p99 is at
 * most 3× the unloaded p99, and the claim audit finds nothing wrong.
 *
 * The shedding provider is a second process with the bench provider's own environment plus
 * LOAD_SHED_MAX_IN_FLIGHT sized by Little's law: requests in flight = throughput × time in system,
 * so capped at capacity × half the unloaded p99, an admitted claim spends about that long on
 * average, and its own slow service time still fits under 3× (at least 2 in flight, or a database
 * that serves one at a time would idle between them). The other thresholds keep their defaults.
 * On the dev server the database is the bottleneck, so it is that cap, not event-loop delay, that
 * sheds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditClaimsInDatabase, describeAudit, type ClaimAnswer } from '../../test/support/claim-audit';
import { devstack, repoRoot } from './bench-stack';
import { jobsFor, log, signTokens, type ClaimBench } from './claim-bench';
import { summarizeLatencies, type LatencySummary } from './measurement';
import { runOpenLoop, type OpenLoopAnswer } from './open-loop';
import { seedCodes } from './seed';

const LOAD_FACTOR = 5;
/** Closed-loop connections of the capacity run: enough to keep the database busy. */
const CAPACITY_CONCURRENCY = 16;
const UNLOADED_CLAIMS = 100;
const MAX_P99_RATIO = 3;
/** A client that has waited this long has given up: its request counts as timed out. */
const CLIENT_TIMEOUT_MS = 10_000;
const EXPECTED_STATUSES = new Set([200, 201, 409, 429, 503]);

export interface OverloadResult {
  readonly ok: boolean;
  /** The printed section. */
  readonly report: string;
}

function claimAnswerOf(brandId: string, userId: string, answer: OpenLoopAnswer): ClaimAnswer {
  const base = { brandId, userId };
  if (answer.status === 201 || answer.status === 200) {
    try {
      const { code } = JSON.parse(answer.body) as { code: string };
      return { ...base, outcome: answer.status === 201 ? 'created' : 'held', code };
    } catch {
      return { ...base, outcome: 'failed' };
    }
  }
  // A 503 or 429 is a refusal, but the audit still holds it to "claimed nothing" (new claims
  // must equal the 201s), so a refusal that did claim would show.
  return { ...base, outcome: answer.status === 409 ? 'exhausted' : 'failed' };
}

/** discounts_http_requests_shed_total by reason, from the provider's /metrics. */
async function shedCounts(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, reason, value] of text.matchAll(
    /^discounts_http_requests_shed_total\{reason="([^"]+)"\} (\S+)$/gm,
  )) {
    if (Number(value) > 0) counts[reason!] = Number(value);
  }
  return counts;
}

/** Polls readiness once a second until `done`: what a kubelet would have seen. */
async function watchReadiness(baseUrl: string, done: () => boolean) {
  const seen = { probes: 0, notReady: 0, shedding: 0 };
  while (!done()) {
    try {
      const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(1_000) });
      const body = (await res.json()) as { details?: { load?: { shedding?: boolean } } };
      seen.probes++;
      if (res.status !== 200) seen.notReady++;
      if (body.details?.load?.shedding) seen.shedding++;
    } catch {
      seen.probes++;
      seen.notReady++;
    }
    await sleep(1_000);
  }
  return seen;
}

export async function overload(bench: ClaimBench): Promise<OverloadResult> {
  const { stack, options } = bench;
  const seconds = options.overloadSeconds;
  const baseCodes = Math.ceil(options.claims * options.codesFactor);

  const capacityAt = async (codes: number, brandId: string) => {
    const run = await bench.measure({
      scenario: 'overload',
      target: 'http-v1',
      concurrency: CAPACITY_CONCURRENCY,
      brandIds: [brandId],
      codesPerBrand: codes,
      jobs: jobsFor(`uo-${brandId}`, Math.min(options.claims, codes), [brandId]),
      execute: bench.v1(CAPACITY_CONCURRENCY),
    });
    return run.record.claimsPerSec;
  };
  let capacity = await capacityAt(baseCodes, 'overload-probe');
  // Codes for every claim the overload could admit. On the dev server a claim costs more as the
  // collection grows, so capacity and unloaded latency are then measured on as many codes.
  const codes = Math.max(baseCodes, Math.ceil(capacity * seconds * 1.25));
  if (codes > baseCodes) capacity = await capacityAt(codes, 'overload-capacity');
  const unloadedRun = await bench.measure({
    scenario: 'overload',
    target: 'http-v1',
    concurrency: 1,
    brandIds: ['overload-unloaded'],
    codesPerBrand: codes,
    jobs: jobsFor('uo-unloaded', UNLOADED_CLAIMS, ['overload-unloaded']),
    execute: bench.v1(1),
  });
  const unloaded = unloadedRun.record.latencyMs;
  const maxInFlight = Math.max(2, Math.round((capacity * unloaded.p99) / 2 / 1000));
  const rate = capacity * LOAD_FACTOR;
  const count = Math.round(rate * seconds);

  const env: Record<string, string | undefined> = {
    ...stack.providerEnv,
    PORT: String(await devstack.freePort()),
    LOAD_SHED_MAX_IN_FLIGHT: String(maxInFlight),
  };
  log(
    `overload: capacity ${capacity.toFixed(1)} claims/s, unloaded p99 ${unloaded.p99.toFixed(0)} ms: ` +
      `a provider with LOAD_SHED_MAX_IN_FLIGHT=${maxInFlight}, offered ${rate.toFixed(0)} claims/s for ${seconds} s`,
  );
  const shedder = await devstack.startApp('provider', env);
  try {
    const brandId = 'overload';
    const seeded = await seedCodes(stack.db, [brandId], codes);
    const jobs = jobsFor('uo-overload', count, [brandId]);
    const tokens = await signTokens(jobs);
    let running = true;
    const readiness = watchReadiness(shedder.url, () => !running);
    const started = performance.now();
    const answers = await runOpenLoop({
      baseUrl: shedder.url,
      ratePerSecond: rate,
      count,
      timeoutMs: CLIENT_TIMEOUT_MS,
      requestFor: (i) => ({
        method: 'POST',
        path: `/v1/brands/${brandId}/claims`,
        headers: { authorization: `Bearer ${tokens[i]}` },
      }),
    });
    const durationMs = performance.now() - started;
    running = false;
    const probes = await readiness;
    const shed = await shedCounts(shedder.url);
    const eventsPublishedAfterMs = await bench.waitForEvents();
    const audit = await auditClaimsInDatabase(stack.db, {
      brandIds: seeded.brandIds,
      answers: answers.map((a, i) => claimAnswerOf(brandId, jobs[i]!.userId, a)),
      expectedTotals: seeded.expectedTotals,
    });

    const statuses: Record<string, number> = {};
    for (const a of answers) {
      const key = a.status === null ? (a.error ?? 'error') : String(a.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
    const unexpected = answers.filter((a) => a.status === null || !EXPECTED_STATUSES.has(a.status));
    const admitted = summarizeLatencies(
      answers.filter((a) => a.status === 201 || a.status === 200).map((a) => a.latencyMs),
    );
    const p99Ratio = admitted.p99 / unloaded.p99;
    const checks = [
      {
        name: 'every answer 201/200/409/429/503, no timeout or connection error',
        met: unexpected.length === 0,
      },
      {
        name: `admitted claims' p99 ≤ ${MAX_P99_RATIO} × unloaded p99 (${p99Ratio.toFixed(2)}×)`,
        met: p99Ratio <= MAX_P99_RATIO,
      },
      { name: `claim audit: ${describeAudit(audit, 5)}`, met: audit.ok },
    ];
    const ok = checks.every((c) => c.met);
    const figures = {
      capacityClaimsPerSec: capacity,
      capacityConcurrency: CAPACITY_CONCURRENCY,
      unloadedLatencyMs: unloaded,
      maxInFlight,
      offeredPerSec: rate,
      requests: count,
      durationMs,
      statuses,
      shed,
      admittedClaimsPerSec: (audit.totals.answers.created + audit.totals.answers.held) / (durationMs / 1000),
      admittedLatencyMs: admitted,
      p99Ratio,
      readiness: probes,
      eventsPublishedAfterMs,
      audit: { ok: audit.ok, summary: describeAudit(audit, 0), violations: audit.violations.slice(0, 50) },
      checks,
    };
    writeResult(figures);
    return { ok, report: reportOf(figures, seconds) };
  } finally {
    await shedder.stop();
  }
}

function writeResult(figures: object): void {
  const dir = resolve(repoRoot(), 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `overload-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ benchmark: 'claim-overload', ...figures }, null, 2)}\n`);
  log(`overload: JSON in ${file}`);
}

const ms = (l: LatencySummary) =>
  `p50 ${l.p50.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms, max ${l.max.toFixed(0)} ms`;

function reportOf(
  f: {
    capacityClaimsPerSec: number;
    unloadedLatencyMs: LatencySummary;
    maxInFlight: number;
    offeredPerSec: number;
    requests: number;
    durationMs: number;
    statuses: Record<string, number>;
    shed: Record<string, number>;
    admittedClaimsPerSec: number;
    admittedLatencyMs: LatencySummary;
    readiness: { probes: number; notReady: number; shedding: number };
    checks: readonly { name: string; met: boolean }[];
  },
  seconds: number,
): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([k, v]) => `${k} × ${v}`)
      .join(', ') || 'none';
  return [
    `Overload: ${LOAD_FACTOR} × capacity, open loop, ${seconds} s, one provider with LOAD_SHED_MAX_IN_FLIGHT=${f.maxInFlight}`,
    `  capacity (closed loop, ${CAPACITY_CONCURRENCY} connections)  ${f.capacityClaimsPerSec.toFixed(1)} claims/s`,
    `  unloaded (one at a time)               ${ms(f.unloadedLatencyMs)}`,
    `  offered                                ${f.offeredPerSec.toFixed(1)} claims/s: ${f.requests} requests in ${(f.durationMs / 1000).toFixed(1)} s`,
    `  answers                                ${list(f.statuses)}`,
    `  shed (metric, by reason)               ${list(f.shed)}`,
    `  admitted claims                        ${f.admittedClaimsPerSec.toFixed(1)} claims/s, ${ms(f.admittedLatencyMs)}`,
    `  readiness during the run               ${f.readiness.probes} probes, ${f.readiness.notReady} not ready, ${f.readiness.shedding} reporting shedding`,
    ...f.checks.map((c) => `  ${c.met ? 'met   ' : 'MISSED'} ${c.name}`),
  ].join('\n');
}
