/**
 * What the benchmark runs against: MongoDB from MONGODB_URI or a fresh FerretDB dev server, a
 * private nats-server, and ONE provider process started from dist/. Everything started here is
 * stopped by PID in stop().
 */
import { spawn } from 'node:child_process';
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
export const BENCH_USER_SECRET_PEPPER = `bench-pepper-${randomBytes(24).toString('hex')}`;

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
  /** What the provider was started with, but its port: for a second provider like it. */
  readonly providerEnv: Readonly<Record<string, string | undefined>>;
  /** The bare Fastify handler that sends the same claim commands (floor-server.ts). */
  readonly floorUrl: string;
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

/**
 * @param profileDir when given, the provider writes a V8 CPU profile (.cpuprofile) there when it
 *   stops.
 */
export async function startBenchStack(log: (line: string) => void, profileDir?: string): Promise<BenchStack> {
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
      // The faster storage where there is one: runs dense enough that each process's CPU is the
      // claims' cost, not its timers' over a slow run.
      const storage = await devstack.chooseDevServerStorage({
        variable: 'DEV_POSTGRESQL_URL',
        value: process.env.DEV_POSTGRESQL_URL,
      });
      log(
        `MONGODB_URI is unset: starting a fresh FerretDB dev server on ${storage.handler} (${storage.reason})`,
      );
      const ferret = await devstack.startFerretDb({
        dataDir: join(tempDir, 'ferretdb'),
        ...(storage.handler === 'postgresql'
          ? {
              postgresqlUrl: devstack.postgresqlUrlFor(
                storage.url,
                `bench_claim_${randomBytes(4).toString('hex')}`,
              ),
              postgresqlDatabase: 'temporary' as const,
            }
          : {}),
      });
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

    const providerEnv = {
      HOST: '127.0.0.1',
      MONGODB_URI: mongodbUri,
      MONGODB_MAX_POOL_SIZE: String(poolSize),
      NATS_URL: natsUrl,
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      JWT_SECRET: BENCH_JWT_SECRET,
      USER_SECRET_PEPPER: BENCH_USER_SECRET_PEPPER,
      JWT_JWKS_URL: undefined,
      JWT_ISSUER: undefined,
      JWT_AUDIENCE: undefined,
      SWAGGER_ENABLED: 'false',
      // Every feature on, as in production; but every request comes from this one address, so the
      // per-IP limit of the predecessor's route is raised (still checked on every call) to what a
      // crowd of addresses would get: the bench measures the claim path, not that limit.
      LOG_LEVEL: 'info',
      RATE_LIMIT_LEGACY_PER_IP: '1000000/1m',
    };
    const provider = await devstack.startApp(
      'provider',
      { ...providerEnv, PORT: String(await devstack.freePort()) },
      { nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] },
    );
    cleanups.push(() => provider.stop());
    pids.provider = provider.pid;

    const floor = await startFloorServer(mongodbUri, poolSize);
    cleanups.push(() => devstack.stopPid(floor.record, { timeoutMs: 5_000 }));
    pids.floor = floor.record.pid;
    return {
      server,
      poolSize,
      db,
      providerUrl: provider.url,
      provider,
      providerEnv,
      floorUrl: floor.url,
      pids,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Started like the provider: its own Node process, from dist/, with the same pool. */
async function startFloorServer(
  mongodbUri: string,
  poolSize: number,
): Promise<{ url: string; record: devstack.ProcessRecord }> {
  const port = await devstack.freePort();
  const child = spawn(process.execPath, [join(__dirname, 'floor-server.js')], {
    env: {
      ...process.env,
      MONGODB_URI: mongodbUri,
      MONGODB_MAX_POOL_SIZE: String(poolSize),
      PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const record = devstack.processRecord(child.pid ?? -1);
  const url = `http://127.0.0.1:${port}`;
  try {
    await devstack.waitForHttp(`${url}/health/ready`, {
      timeoutMs: 30_000,
      isAlive: () => child.exitCode === null,
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url, record };
}

/** Which server answers: FerretDB reports its own version beside MongoDB's. */
export async function serverOf(db: mongo.Db): Promise<BenchServer> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string'
    ? { kind: 'FerretDB', version: info.ferretdbVersion }
    : { kind: 'MongoDB', version: String(info.version) };
}
