/**
 * make launch: brings up whatever is missing and both apps in the background, then prints how to
 * use them. Usage: launch [--build]
 *
 *   MongoDB  $MONGODB_URI, else the FerretDB dev server (port $FERRETDB_PORT, else 27017 when
 *            free, else any free port) on PostgreSQL ($DEV_POSTGRESQL_URL, else 127.0.0.1:5432 when
 *            it answers; database discounts_dev) or else SQLite (.data/ferretdb); its data is kept
 *            between launches. See launch-database.ts.
 *   NATS     $NATS_URL, else nats://127.0.0.1:4222 when it answers, else a nats-server -js
 *            (JetStream store in .data/nats)
 *   apps     generator on $GENERATOR_PORT (5001), provider on $PROVIDER_PORT (5002), listening on
 *            $HOST (127.0.0.1); logs in .data/logs/<app>.log
 *
 * GENERATOR_ADMIN_TOKEN and PROVIDER_ADMIN_TOKEN (each app's ADMIN_TOKEN: two tokens, so that
 * the provider's cannot create brands), JWT_SECRET, DEV_OPEN_BRAND_API (default true here only:
 * the quickstart's keyless generate call), LOG_LEVEL are taken from the environment when set;
 * missing secrets are generated. WEBHOOK_SECRET_KEYS and USER_SECRET_PEPPER too, but a generated
 * one is kept in .data with the database, whose stored values it opens or checks. No ADMIN_PORT
 * is set: locally the admin tokens work on the API ports.
 *
 * LAUNCH_TIMEOUT_MS (60000) bounds the wait for /health/ready. Everything started and generated
 * is recorded in .data/launch.json (mode 600), which make shutdown uses to stop exactly those
 * processes. --build runs `npm run build` first (only when nothing is running, so a running
 * launch never has its dist/ replaced underneath it).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startApp, appEntry } from './apps';
import { startLaunchDatabase } from './launch-database';
import { createSampleUser, log, printSummary, rel } from './launch-summary';
import { ensureNats } from './nats';
import { isPortFree } from './net';
import { REPO_ROOT, type AppName } from './paths';
import { isSameProcess, stopPid, type ProcessRecord } from './processes';
import {
  DATA_DIR,
  LOG_DIR,
  readState,
  removeState,
  writeState,
  type LaunchedProcess,
  type LaunchState,
} from './state';

const READY_TIMEOUT_MS = Number(process.env.LAUNCH_TIMEOUT_MS || 60_000);
const APPS: readonly AppName[] = ['generator', 'provider'];
const env = (name: string) => (process.env[name] === '' ? undefined : process.env[name]);

class UsageError extends Error {}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--build');
  if (unknown.length)
    throw new UsageError(`unknown argument(s): ${unknown.join(' ')} (usage: launch [--build])`);

  const previous = readState();
  if (previous) {
    const records = Object.values(previous.processes);
    const alive = records.filter((r) => isSameProcess(r));
    if (previous.generator && previous.provider && records.length && alive.length === records.length) {
      log(
        `already running (started ${previous.startedAt}); not starting anything. Stop it with make shutdown.`,
      );
      printSummary(previous);
      return;
    }
    log(
      `a previous launch is only partly running (${alive.length}/${records.length} processes): cleaning it up`,
    );
    await stopAll(previous);
    removeState();
  }

  if (args.includes('--build')) await build();
  for (const app of APPS) appEntry(app); // "run npm run build first" when missing

  const host = env('HOST') || '127.0.0.1';
  const ports: Record<AppName, number> = {
    generator: portFromEnv('GENERATOR_PORT', 5001),
    provider: portFromEnv('PROVIDER_PORT', 5002),
  };
  for (const app of APPS) {
    if (!(await isPortFree(ports[app]))) {
      throw new UsageError(
        `port ${ports[app]} for the ${app} is already in use (another launch, or a process not started by it?); ` +
          `stop that or set ${app.toUpperCase()}_PORT`,
      );
    }
  }

  const generated: string[] = [];
  const secret = (name: string, bytes: number) => {
    const given = env(name);
    if (given) return given;
    generated.push(name);
    return randomBytes(bytes).toString('base64url');
  };
  if (env('ADMIN_TOKEN')) {
    log('ADMIN_TOKEN is not used: each app has its own, set GENERATOR_ADMIN_TOKEN and PROVIDER_ADMIN_TOKEN');
  }
  const state: LaunchState = {
    version: 1,
    startedAt: new Date().toISOString(),
    repo: REPO_ROOT,
    processes: {},
    generatorAdminToken: secret('GENERATOR_ADMIN_TOKEN', 24),
    providerAdminToken: secret('PROVIDER_ADMIN_TOKEN', 24),
    jwtSecret: secret('JWT_SECRET', 32),
    devOpenBrandApi: env('DEV_OPEN_BRAND_API') || 'true',
    generated,
  };
  // Record each process as soon as it runs: an interrupted launch stays stoppable by make shutdown.
  const started = (name: LaunchedProcess, record: ProcessRecord) => {
    state.processes[name] = record;
    writeState(state);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping what this launch started`);
    void stopAll(state).finally(() => {
      removeState();
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    fs.mkdirSync(LOG_DIR, { recursive: true });
    // Both settled before any failure is thrown: whatever did start is recorded, and stopped below.
    const [mongoResult, natsResult] = await Promise.allSettled([
      startMongo(started),
      startNatsIfMissing(started),
    ]);
    if (mongoResult.status === 'rejected') throw mongoResult.reason;
    if (natsResult.status === 'rejected') throw natsResult.reason;
    const [mongodb, nats] = [mongoResult.value, natsResult.value];
    state.mongodb = mongodb;
    state.nats = nats;
    writeState(state);

    // Both apps, in parallel; they must both answer /health/ready.
    const common = {
      HOST: host,
      MONGODB_URI: mongodb.uri,
      NATS_URL: nats.url,
      LOG_LEVEL: env('LOG_LEVEL'),
    };
    const appEnv: Record<AppName, Record<string, string | undefined>> = {
      generator: {
        ...common,
        PORT: String(ports.generator),
        ADMIN_TOKEN: state.generatorAdminToken,
        DEV_OPEN_BRAND_API: state.devOpenBrandApi,
        WEBHOOK_SECRET_KEYS: keptSecret(
          'WEBHOOK_SECRET_KEYS',
          'webhook-secret-keys',
          () => `dev:${randomBytes(32).toString('base64')}`,
        ),
      },
      provider: {
        ...common,
        PORT: String(ports.provider),
        ADMIN_TOKEN: state.providerAdminToken,
        JWT_SECRET: state.jwtSecret,
        USER_SECRET_PEPPER: keptSecret('USER_SECRET_PEPPER', 'user-secret-pepper', () =>
          randomBytes(32).toString('base64url'),
        ),
      },
    };
    log('starting generator and provider');
    const handles = await Promise.allSettled(
      APPS.map(async (app) => {
        const handle = await startApp(app, appEnv[app], {
          logFile: path.join(LOG_DIR, `${app}.log`),
          detached: true,
          waitReady: false,
        });
        started(app, handle.record);
        return handle.ready(READY_TIMEOUT_MS);
      }),
    );
    const failures = handles.flatMap((h) => (h.status === 'rejected' ? [(h.reason as Error).message] : []));
    if (failures.length) throw new Error(failures.join('\n\n'));
    for (const h of handles) {
      if (h.status !== 'fulfilled') continue;
      const { name, url, port, logFile } = h.value;
      state[name] = { url, port, logFile: rel(logFile!) };
    }
    state.sampleUser = await createSampleUser(state.provider!.url, state.providerAdminToken);
    writeState(state);
    printSummary(state);
  } catch (err) {
    log('start-up failed; stopping what this launch started');
    await stopAll(state);
    removeState();
    throw err;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

type Started = (name: LaunchedProcess, record: ProcessRecord) => void;

async function startMongo(started: Started): Promise<NonNullable<LaunchState['mongodb']>> {
  return startLaunchDatabase((record) => started('ferretdb', record));
}

async function startNatsIfMissing(started: Started): Promise<NonNullable<LaunchState['nats']>> {
  const nats = await ensureNats({
    url: env('NATS_URL'),
    dataDir: path.join(DATA_DIR, 'nats'),
    logFile: path.join(LOG_DIR, 'nats-server.log'),
    detached: true,
  });
  if (nats.started) {
    started('nats', nats.record);
    return { url: nats.url, source: nats.source, logFile: rel(nats.logFile) };
  }
  if (nats.source === 'local' && !nats.jetstream) {
    log('warning: the NATS server on 127.0.0.1:4222 has no JetStream (start it with -js)');
  }
  return { url: nats.url, source: nats.source };
}

async function build(): Promise<void> {
  log('npm run build');
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      // Output to stderr: stdout is kept for the launch summary.
      const child = spawn('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 2, 2] });
      child.once('error', reject);
      child.once('exit', (c, s) => resolve({ code: c, signal: s }));
    },
  );
  if (code !== 0) throw new Error(`npm run build failed (${signal ?? `exit ${code}`})`);
}

function portFromEnv(name: string, fallback: number): number {
  const raw = env(name);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`${name}=${raw} is not a TCP port`);
  return port;
}

/** Apps first, then the FerretDB dev server, then nats-server; only what `state` records. */
async function stopAll(state: LaunchState): Promise<void> {
  const stop = async (name: LaunchedProcess) => {
    const record = state.processes[name];
    if (record) await stopPid(record, { timeoutMs: 10_000 });
  };
  await Promise.all([stop('generator'), stop('provider')]);
  await stop('ferretdb');
  await stop('nats');
}

main().catch((err: unknown) => {
  const usage = err instanceof UsageError;
  process.stderr.write(`launch: ${usage ? '' : 'failed: '}${(err as Error).message}\n`);
  process.exit(usage ? 2 : 1);
});

/**
 * A secret bound to the dev database: $<name>, else one made once and kept beside the data in
 * .data (mode 600). WEBHOOK_SECRET_KEYS opens the sealed webhook secrets and USER_SECRET_PEPPER
 * checks the users' secrets: a new one at each launch would lose both.
 */
function keptSecret(name: string, fileName: string, make: () => string): string {
  const given = process.env[name];
  if (given) return given;
  const file = path.join(DATA_DIR, fileName);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const value = make();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}
