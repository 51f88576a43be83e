/**
 * What the benchmark runs against: MongoDB from MONGODB_URI or a fresh FerretDB dev server, a
 * private nats-server, and ONE provider process started from dist/. Everything started here is
 * stopped by PID in stop().
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import * as devstack from '../../tools/devstack';

export { devstack };

/** The repository root, wherever the bench runs from (bench/ when typechecked, dist/bench/ compiled). */
export const repoRoot = (): string => devstack.REPO_ROOT;

/** The provider's own default (apps/provider/src/provider.module.ts). */
const PROVIDER_DEFAULT_POOL_SIZE = 50;

export const BENCH_ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
export const BENCH_JWT_SECRET = `bench-jwt-${randomBytes(24).toString('hex')}`;

export interface BenchServer {
  readonly kind: 'FerretDB' | 'MongoDB';
  readonly version: string;
}

export interface BenchStack {
  readonly server: BenchServer;
  /** The provider's MongoDB pool, and the raw driver's: the same on both sides. */
  readonly poolSize: number;
  /** The database both the provider and the raw-driver runs use. */
  readonly db: mongo.Db;
  readonly providerUrl: string;
  readonly provider: devstack.AppHandle;
  /** Processes whose CPU time each run reports: this one, the provider, the dev server if started. */
  readonly pids: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

function poolSizeFromEnv(): number {
  const raw = process.env.MONGODB_MAX_POOL_SIZE;
  if (raw === undefined || raw === '') return PROVIDER_DEFAULT_POOL_SIZE;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1)
    throw new Error('MONGODB_MAX_POOL_SIZE must be a positive integer');
  return Number(raw);
}

export async function startBenchStack(log: (line: string) => void): Promise<BenchStack> {
  const tempDir = mkdtempSync(join(tmpdir(), 'bench-claim-'));
  const cleanups: Array<() => Promise<unknown>> = [
    () => Promise.resolve(rmSync(tempDir, { recursive: true, force: true })),
  ];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`cleanup: ${String(error)}`);
      }
    }
  };
  try {
    const pids: Record<string, number> = { bench: process.pid };
    let baseUri = process.env.MONGODB_URI;
    if (!baseUri) {
      log('MONGODB_URI is unset: starting a fresh FerretDB dev server');
      const ferret = await devstack.startFerretDb({ dataDir: join(tempDir, 'ferretdb') });
      cleanups.push(() => devstack.stopPid(ferret.record, { timeoutMs: 10_000 }));
      baseUri = ferret.uri;
      pids.ferretdb = ferret.pid;
    }
    const url = new URL(baseUri);
    url.pathname = `/bench_claim_${randomBytes(4).toString('hex')}`;
    const mongodbUri = url.toString();

    // The dev server serializes commands itself, so both sides use a normal pool on either server.
    const poolSize = poolSizeFromEnv();

    let natsUrl = process.env.NATS_URL ?? devstack.DEFAULT_NATS_URL;
    try {
      // A private server: a generator on a shared NATS would consume this provider's events.
      const nats = await devstack.startNats({ dataDir: join(tempDir, 'nats') });
      cleanups.push(() => devstack.stopPid(nats.record, { timeoutMs: 5_000 }));
      natsUrl = nats.url;
    } catch (error) {
      log(`no private nats-server (${String(error).split('\n')[0]}); using ${natsUrl}`);
    }

    const client = new mongo.MongoClient(mongodbUri, {
      maxPoolSize: poolSize,
      serverSelectionTimeoutMS: 10_000,
    });
    await client.connect();
    const db = client.db();
    const server = await serverOf(db);
    cleanups.push(async () => {
      await db.dropDatabase();
      await client.close();
    });

    const provider = await devstack.startApp('provider', {
      PORT: String(await devstack.freePort()),
      HOST: '127.0.0.1',
      MONGODB_URI: mongodbUri,
      MONGODB_MAX_POOL_SIZE: String(poolSize),
      NATS_URL: natsUrl,
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      JWT_SECRET: BENCH_JWT_SECRET,
      JWT_JWKS_URL: undefined,
      JWT_ISSUER: undefined,
      JWT_AUDIENCE: undefined,
      SWAGGER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    });
    cleanups.push(() => provider.stop());
    pids.provider = provider.pid;
    return { server, poolSize, db, providerUrl: provider.url, provider, pids, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Which server answers: FerretDB reports its own version beside MongoDB's. */
export async function serverOf(db: mongo.Db): Promise<BenchServer> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string'
    ? { kind: 'FerretDB', version: info.ferretdbVersion }
    : { kind: 'MongoDB', version: String(info.version) };
}
