/**
 * npm run bench:dev-server -- --claims: what one claim costs on the FerretDB dev server as codes
 * pile up, on each handler (SQLite; PostgreSQL when one answers at DEV_POSTGRESQL_URL or
 * 127.0.0.1:5432, in a temporary database of its own). The sizes where a claim passes the budget
 * are what libs/persistence/src/dev-server/slow-claims.ts keeps (update it from this output).
 *
 * Two series, each in a collection of its own with the real indexes (CodeSchema), grown in steps
 * (--sizes): "one brand", every code the claiming brand's; "other brands", the claiming brand
 * holding PROBE_CODES available codes (topped up at each step) and every other code another
 * brand's. FerretDB v1 on SQLite filters nothing in the database, so both series cost the same:
 * every claim reads the whole collection. On PostgreSQL it pushes the claim's equality filters
 * (brandId, status) down into SQL, so a claim reads the brand's available codes: the first series
 * grows, the second hardly does. At each step the commands of a claim (claimCommands) go one at
 * a time through one connection, and so do the counts the generator's check may use.
 * Options: --sizes 1000,5000,… --handlers sqlite,postgresql --min-ms N (time spent per step).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import {
  availableCodes,
  claimCommands,
  CodeSchema,
  DEV_SERVER_CLAIM_BUDGET_MS,
  type DevServerHandler,
} from '@app/persistence';
import { devstack } from '../claim/bench-stack';

const DEFAULT_SIZES = [500, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 15_000, 20_000, 30_000, 50_000];
const OTHER_BRANDS = 10;
const PROBE_CODES = 200;
const INSERT_BATCH = 1_000;
const log = (line: string) => process.stderr.write(`[bench:dev-server] ${line}\n`);

export interface ClaimTimes {
  readonly claims: number;
  /** The fastest claim: the best estimate of the cost on a machine nobody else loads. */
  readonly minMs: number;
  readonly medianMs: number;
  /** CPU time of the ferretdb-dev process per claim (PostgreSQL's own work not included). */
  readonly serverCpuMs: number;
}

export interface ScalingStep {
  readonly size: number;
  /** Every code the claiming brand's. */
  readonly oneBrand: ClaimTimes;
  /** The claiming brand holds PROBE_CODES; the rest are other brands'. */
  readonly otherBrands: ClaimTimes;
  /** Median ms of the counts the generator's check can use, on the one-brand collection. */
  readonly countMs: {
    readonly collStatsStage: number;
    readonly collStats: number;
    readonly brandAvailable: number;
  };
}

export interface ScalingResult {
  readonly handler: DevServerHandler;
  readonly steps: readonly ScalingStep[];
  /** Where the one-brand claim reaches the budget (budgetSizeOf). */
  readonly budgetSize: number;
}

function listOption(name: string): string[] | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? '').split(',').filter(Boolean) : undefined;
}

function numberOption(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Runs `fn` at least 5 and at most `max` times, until minMs have passed; the durations. */
async function timed(fn: () => Promise<unknown>, minMs: number, max = 200): Promise<number[]> {
  const durations: number[] = [];
  const start = performance.now();
  while (durations.length < max && (durations.length < 5 || performance.now() - start < minMs)) {
    const t = performance.now();
    await fn();
    durations.push(performance.now() - t);
  }
  return durations;
}

/**
 * The size at which the fastest claim reaches the budget: interpolated between the two steps
 * around the crossing, extrapolated along the last two steps when none crosses; rounded down to a
 * thousand (a hundred below 2,000).
 */
export function budgetSizeOf(points: ReadonlyArray<{ size: number; ms: number }>, budgetMs: number): number {
  const i = points.findIndex((p) => p.ms > budgetMs);
  const [below, above] =
    i < 0 ? [points.at(-2)!, points.at(-1)!] : [i === 0 ? { size: 0, ms: 0 } : points[i - 1]!, points[i]!];
  if (above.ms <= below.ms) return Number.POSITIVE_INFINITY;
  const exact = below.size + ((budgetMs - below.ms) / (above.ms - below.ms)) * (above.size - below.size);
  const unit = exact < 2_000 ? 100 : 1_000;
  return Math.max(unit, Math.floor(exact / unit) * unit);
}

/** User and system CPU time of a process so far, in ms (Linux /proc, USER_HZ 100; NaN elsewhere). */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

async function insert(codes: mongo.Collection, brandOf: (n: number) => string, from: number, to: number) {
  const batchId = randomUUID();
  const now = new Date();
  for (let n = from; n < to; n += INSERT_BATCH) {
    const docs = Array.from({ length: Math.min(INSERT_BATCH, to - n) }, (_, i) => ({
      brandId: brandOf(n + i),
      code: `S${(n + i).toString(36).toUpperCase().padStart(7, '0')}`,
      batchId,
      createdAt: now,
    }));
    await codes.insertMany(availableCodes(docs), { ordered: false });
  }
}

/** Claims of `brandId`, as CodeClaimsRepository.claimAvailable sends them. */
async function claimTimes(
  codes: mongo.Collection,
  brandId: string,
  pid: number,
  minMs: number,
  max?: number,
) {
  const cpuBefore = cpuMsOf(pid);
  const durations = await timed(
    async () => {
      const [atOrAbove, below] = claimCommands(brandId, `user-${randomBytes(6).toString('hex')}`, new Date());
      const first = await codes.findOneAndUpdate(atOrAbove.filter, atOrAbove.update, atOrAbove.options);
      if (!first) await codes.findOneAndUpdate(below.filter, below.update, below.options);
    },
    minMs,
    max,
  );
  return {
    claims: durations.length,
    minMs: Math.min(...durations),
    medianMs: quantile(durations, 0.5),
    serverCpuMs: (cpuMsOf(pid) - cpuBefore) / durations.length,
  };
}

async function measureHandler(
  handler: DevServerHandler,
  sizes: readonly number[],
  minMs: number,
  postgresqlUrl: string | undefined,
): Promise<ScalingResult> {
  const tempDir = mkdtempSync(join(tmpdir(), 'bench-dev-server-claims-'));
  const server = await devstack.startFerretDb({
    dataDir: tempDir,
    ...(handler === 'postgresql' ? { postgresqlUrl, postgresqlDatabase: 'temporary' as const } : {}),
  });
  const client = new mongo.MongoClient(server.uri, { maxPoolSize: 1 });
  try {
    await client.connect();
    const db = client.db();
    const [one, spread] = [db.collection('codes'), db.collection('codes_spread')];
    const indexes = CodeSchema.indexes().map(
      ([key, options]) => ({ ...options, key }) as mongo.IndexDescription,
    );
    await Promise.all([one.createIndexes(indexes), spread.createIndexes(indexes)]);
    const steps: ScalingStep[] = [];
    let current = 0;
    for (const size of sizes) {
      await insert(one, () => 'solo', current, size);
      await insert(spread, (n) => `other-${n % OTHER_BRANDS}`, current, size);
      current = size;
      // The probe brand back to PROBE_CODES available codes: claims use some at every step.
      await spread.deleteMany({ brandId: 'probe' });
      await insert(spread, () => 'probe', 0, PROBE_CODES);
      const oneBrand = await claimTimes(one, 'solo', server.pid, minMs);
      const otherBrands = await claimTimes(spread, 'probe', server.pid, minMs, PROBE_CODES / 4);
      const median = async (fn: () => Promise<unknown>) =>
        quantile(await timed(fn, Math.min(minMs, 1_000)), 0.5);
      const step: ScalingStep = {
        size,
        oneBrand,
        otherBrands,
        countMs: {
          collStatsStage: await median(() => one.aggregate([{ $collStats: { count: {} } }]).toArray()),
          collStats: await median(() => db.command({ collStats: 'codes' })),
          brandAvailable: await median(() => one.countDocuments({ brandId: 'solo', status: 'available' })),
        },
      };
      steps.push(step);
      log(
        `${handler} ${size}: one brand min ${oneBrand.minMs.toFixed(1)} median ${oneBrand.medianMs.toFixed(1)} ` +
          `cpu ${oneBrand.serverCpuMs.toFixed(1)} (n=${oneBrand.claims}); other brands min ` +
          `${otherBrands.minMs.toFixed(1)} median ${otherBrands.medianMs.toFixed(1)}; counts ${JSON.stringify(step.countMs)}`,
      );
    }
    const points = steps.map((s) => ({ size: s.size, ms: s.oneBrand.minMs }));
    return { handler, steps, budgetSize: budgetSizeOf(points, DEV_SERVER_CLAIM_BUDGET_MS) };
  } finally {
    await client.close();
    await devstack.stopPid(server.record, { timeoutMs: 30_000 });
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/** The handlers to measure: PostgreSQL only when one answers (said when it does not). */
async function handlersToRun(): Promise<{ handlers: DevServerHandler[]; postgresqlUrl?: string }> {
  const wanted = (listOption('handlers') ?? ['sqlite', 'postgresql']) as DevServerHandler[];
  if (!wanted.includes('postgresql')) return { handlers: wanted };
  const url = process.env.DEV_POSTGRESQL_URL || devstack.LOCAL_POSTGRESQL_URL;
  const { host, port } = devstack.hostPort(url, 5432);
  if (!(await devstack.canConnect(host, port, 2_000))) {
    log(`no PostgreSQL answers at ${host}:${port}: measuring the SQLite handler only`);
    return { handlers: wanted.filter((h) => h !== 'postgresql') };
  }
  return {
    handlers: wanted,
    postgresqlUrl: devstack.postgresqlUrlFor(url, `bench_dev_server_${randomBytes(4).toString('hex')}`),
  };
}

export async function runClaimScaling(): Promise<{ results: ScalingResult[]; lines: string[] }> {
  const sizes = (listOption('sizes') ?? DEFAULT_SIZES.map(String)).map(Number).sort((a, b) => a - b);
  if (sizes.some((s) => !Number.isSafeInteger(s) || s < 1) || sizes.length < 2)
    throw new Error('--sizes takes at least two positive integers, e.g. --sizes 1000,5000');
  const minMs = numberOption('min-ms', 3_000);
  const { handlers, postgresqlUrl } = await handlersToRun();
  const results: ScalingResult[] = [];
  for (const handler of handlers) results.push(await measureHandler(handler, sizes, minMs, postgresqlUrl));
  return { results, lines: formatResults(results, sizes) };
}

function formatResults(results: readonly ScalingResult[], sizes: readonly number[]): string[] {
  const ms = (value: number, width: number) => value.toFixed(1).padStart(width);
  return [
    `ms per claim (fastest / median) with every code the brand's, fastest with the brand holding ` +
      `${PROBE_CODES} among other brands' codes; ms per count ($collStats / collStats / the brand's available)`,
    `codes    ${results.map((r) => `| ${r.handler.padEnd(10)} one brand    others   $collStats collStats  brand`).join(' ')}`,
    ...sizes.map(
      (size, i) =>
        `${String(size).padEnd(8)} ${results
          .map((r) => {
            const s = r.steps[i]!;
            return (
              `| ${ms(s.oneBrand.minMs, 9)} ${ms(s.oneBrand.medianMs, 8)} ${ms(s.otherBrands.minMs, 8)} ` +
              `${ms(s.countMs.collStatsStage, 12)} ${ms(s.countMs.collStats, 9)} ${ms(s.countMs.brandAvailable, 6)}`
            );
          })
          .join(' ')}`,
    ),
    ...results.map(
      (r) =>
        `${r.handler}: a claim reaches ${DEV_SERVER_CLAIM_BUDGET_MS} ms at ≈ ${r.budgetSize} codes of one brand`,
    ),
  ];
}
