/**
 * npm run bench:generate — not part of make test. One run, a table, and a JSON file under
 * bench/results/:
 *   (a) in-process generation rate of @app/codegen vs the npm package voucher-code-generator
 *       (same length and alphabet);
 *   (b) codes per second stored by the service for one job (POST → completed) against a plain
 *       driver loop of unordered insertMany of the same documents, same batch size, same server;
 *   (c) the generator's peak RSS during (b), sampled from /proc/<pid>/status every 200 ms.
 * Options: --count N (default 1,000,000) --generators K (default 1; 2 measures two replicas).
 * MONGODB_URI picks a server; otherwise a fresh FerretDB dev server is started.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { CodeGenerator, DEFAULT_ALPHABET, DEFAULT_CODE_LENGTH, resolveCodeFormat } from '@app/codegen';
import { availableCodes } from '@app/persistence';
import { devstack, repoRoot, serverOf } from '../claim/bench-stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const voucherCodes = require('voucher-code-generator') as {
  generate(config: { length: number; count: number; charset: string }): string[];
};

const BATCH = 1_000;
const CHUNK = 10_000;
const log = (line: string) => process.stderr.write(`[bench:generate] ${line}\n`);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1_000);
}

/** (a) */
function inProcess(count: number) {
  const format = resolveCodeFormat({ length: DEFAULT_CODE_LENGTH, alphabet: DEFAULT_ALPHABET });
  const ours = new CodeGenerator(format);
  ours.fill(10_000); // warm-up
  let start = performance.now();
  for (let done = 0; done < count; done += BATCH) ours.fill(Math.min(BATCH, count - done));
  const oursMs = performance.now() - start;
  // The package deduplicates in memory and refuses counts near its space; same length and charset.
  const packageCount = Math.min(count, 200_000);
  voucherCodes.generate({ length: DEFAULT_CODE_LENGTH, count: 1_000, charset: DEFAULT_ALPHABET });
  start = performance.now();
  voucherCodes.generate({ length: DEFAULT_CODE_LENGTH, count: packageCount, charset: DEFAULT_ALPHABET });
  const packageMs = performance.now() - start;
  const oursRate = rate(count, oursMs);
  const packageRate = rate(packageCount, packageMs);
  return {
    oursPerSecond: oursRate,
    packagePerSecond: packageRate,
    ratio: oursRate / packageRate,
    packageCount,
  };
}

function rssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

async function http(url: string, method: string, token: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function main(): Promise<void> {
  const count = option('count', 1_000_000);
  const generators = option('generators', 1);
  const startedAt = new Date();
  log(`(a) in-process generation of ${count} codes`);
  const a = inProcess(count);

  const tempDir = mkdtempSync(join(tmpdir(), 'bench-generate-'));
  const cleanups: Array<() => Promise<unknown>> = [
    () => Promise.resolve(rmSync(tempDir, { recursive: true, force: true })),
  ];
  try {
    let baseUri = process.env.MONGODB_URI;
    if (!baseUri) {
      const ferret = await devstack.startFerretDb({ dataDir: join(tempDir, 'ferretdb') });
      cleanups.push(() => devstack.stopPid(ferret.record, { timeoutMs: 10_000 }));
      baseUri = ferret.uri;
    }
    const url = new URL(baseUri);
    url.pathname = `/bench_generate_${randomBytes(4).toString('hex')}`;
    const mongodbUri = url.toString();
    const nats = await devstack.startNats({ dataDir: join(tempDir, 'nats') });
    cleanups.push(() => devstack.stopPid(nats.record, { timeoutMs: 5_000 }));
    const client = new mongo.MongoClient(mongodbUri, { maxPoolSize: 1, serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    const db = client.db();
    const server = await serverOf(db);
    cleanups.push(async () => {
      await db.dropDatabase();
      await client.close();
    });

    const adminToken = `bench-admin-${randomBytes(12).toString('hex')}`;
    const webhookSecretKeys = `bench:${randomBytes(32).toString('base64')}`;
    const apps: Array<Awaited<ReturnType<typeof devstack.startApp>>> = [];
    for (let i = 0; i < generators; i++) {
      const app = await devstack.startApp('generator', {
        PORT: String(await devstack.freePort()),
        HOST: '127.0.0.1',
        MONGODB_URI: mongodbUri,
        NATS_URL: nats.url,
        ADMIN_TOKEN: adminToken,
        WEBHOOK_SECRET_KEYS: webhookSecretKeys,
        SWAGGER_ENABLED: 'false',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_GENERATION_PER_BRAND: 'off',
        GENERATION_BATCH_SIZE: String(BATCH),
        GENERATION_JOB_CHUNK_SIZE: String(CHUNK),
      });
      cleanups.push(() => app.stop());
      apps.push(app);
    }
    const base = apps[0]!.url;
    // Space for the count within the 1% capacity rule: length 10 over the default alphabet.
    const length = 10;
    const created = await http(`${base}/v1/brands`, 'POST', adminToken, { id: 'bench', name: 'Bench' });
    if (created.status !== 201) throw new Error(`brand: HTTP ${created.status}`);

    log(`(b) service: one job of ${count} codes, ${generators} generator(s)`);
    let peakKb = 0;
    const sampler = setInterval(() => {
      for (const app of apps) peakKb = Math.max(peakKb, rssKb(app.pid));
    }, 200);
    const t0 = performance.now();
    const job = await http(`${base}/v1/brands/bench/codes`, 'POST', adminToken, { count, length });
    if (job.status !== 202) throw new Error(`job: HTTP ${job.status} ${JSON.stringify(job.body)}`);
    const jobId = String(job.body.jobId);
    let status = '';
    while (status !== 'completed') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const current = await http(`${base}/v1/jobs/${jobId}`, 'GET', adminToken);
      status = String(current.body.status);
      if (status === 'failed' || status === 'cancelled') throw new Error(`job ${status}`);
    }
    const serviceMs = performance.now() - t0;
    clearInterval(sampler);
    const stored = await db.collection('codes').countDocuments({ batchId: jobId });

    log(`(b) plain driver loop: unordered insertMany of ${count} documents in batches of ${BATCH}`);
    const raw = db.collection('codes_plain');
    // The same indexes as the service's collection: every index costs each insert its share.
    for (const index of await db.collection('codes').indexes()) {
      if (index.name === '_id_') continue;
      await raw.createIndex(index.key, { unique: index.unique === true, sparse: index.sparse === true });
    }
    const generator = new CodeGenerator(resolveCodeFormat({ length }));
    const createdAt = new Date();
    const t1 = performance.now();
    for (let done = 0; done < count; done += BATCH) {
      const codes = generator.fill(Math.min(BATCH, count - done));
      await raw.insertMany(
        availableCodes(
          codes.map((code, i) => ({
            brandId: 'bench',
            code,
            batchId: 'plain',
            chunk: Math.floor((done + i) / CHUNK),
            createdAt,
          })),
        ),
        { ordered: false },
      );
    }
    const plainMs = performance.now() - t1;

    const b = {
      servicePerSecond: rate(count, serviceMs),
      plainPerSecond: rate(count, plainMs),
      ratio: rate(count, serviceMs) / rate(count, plainMs),
      serviceSeconds: serviceMs / 1_000,
      plainSeconds: plainMs / 1_000,
      stored,
    };
    const c = { peakRssMb: Math.round(peakKb / 1024) };
    const result = {
      startedAt: startedAt.toISOString(),
      server,
      machine: { cpus: cpus().length, loadavg: loadavg() },
      options: { count, generators, batch: BATCH, chunk: CHUNK, length },
      a,
      b,
      c,
      targets: { a: a.ratio >= 10, b: b.ratio >= 0.8, c: c.peakRssMb < 300 },
    };
    const rows = [
      ['(a) @app/codegen codes/s', a.oursPerSecond.toLocaleString('en-US')],
      [`(a) voucher-code-generator codes/s (${a.packageCount})`, a.packagePerSecond.toLocaleString('en-US')],
      ['(a) ratio (target ≥ 10)', a.ratio.toFixed(1)],
      [
        `(b) service job, ${generators} generator(s), codes/s`,
        `${b.servicePerSecond.toLocaleString('en-US')} (${b.serviceSeconds.toFixed(1)} s, ${stored} stored)`,
      ],
      [
        '(b) plain insertMany loop codes/s',
        `${b.plainPerSecond.toLocaleString('en-US')} (${b.plainSeconds.toFixed(1)} s)`,
      ],
      ['(b) ratio (target ≥ 0.8)', b.ratio.toFixed(2)],
      ['(c) generator peak RSS MB (target < 300)', String(c.peakRssMb)],
    ];
    const width = Math.max(...rows.map((r) => r[0]!.length));
    process.stdout.write(
      `\nbench:generate on ${result.server.kind} ${result.server.version}, ${cpus().length} CPUs\n`,
    );
    for (const [k, v] of rows) process.stdout.write(`  ${k!.padEnd(width)}  ${v}\n`);
    const dir = join(repoRoot(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `generate-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`  written to ${file}\n`);
  } finally {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`cleanup: ${String(error)}`);
      }
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
