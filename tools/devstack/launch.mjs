#!/usr/bin/env node
/**
 * make launch: brings up whatever is missing and both apps in the background, then prints how to
 * use them. Usage: node tools/devstack/launch.mjs [--build]
 *
 *   MongoDB  $MONGODB_URI, else the FerretDB dev server (data in .data/ferretdb, kept between
 *            launches; port $FERRETDB_PORT, else 27017 when free, else any free port)
 *   NATS     $NATS_URL, else nats://127.0.0.1:4222 when it answers, else a nats-server -js
 *            (JetStream store in .data/nats)
 *   apps     generator on $GENERATOR_PORT (5001), provider on $PROVIDER_PORT (5002), listening on
 *            $HOST (127.0.0.1); logs in .data/logs/<app>.log
 *
 * ADMIN_TOKEN, JWT_SECRET, DEV_OPEN_BRAND_API (default true here only: the quickstart's keyless
 * generate call), LOG_LEVEL are taken from the environment when set; missing secrets are
 * generated. LAUNCH_TIMEOUT_MS (60000) bounds the wait for /health/ready. Everything started and
 * generated is recorded in .data/launch.json (mode 600), which make shutdown uses to stop exactly
 * those processes. --build runs `npm run build` first (only when nothing is running, so a running
 * launch never has its dist/ replaced underneath it).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';
import {
  REPO_ROOT,
  appEntry,
  ensureNats,
  httpRequest,
  isPortFree,
  isSameProcess,
  startApp,
  startFerretDb,
  stopPid,
} from './stack.cjs';
import { DATA_DIR, LOG_DIR, STATE_FILE, readState, removeState, writeState } from './state.mjs';

const READY_TIMEOUT_MS = Number(process.env.LAUNCH_TIMEOUT_MS || 60000);
const rel = (p) => path.relative(REPO_ROOT, p) || '.';
const env = (name) => (process.env[name] === '' ? undefined : process.env[name]);
const log = (msg) => process.stderr.write(`launch: ${msg}\n`);

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--build');
  if (unknown.length)
    throw new UsageError(`unknown argument(s): ${unknown.join(' ')} (usage: launch.mjs [--build])`);

  const previous = readState();
  if (previous) {
    const records = Object.values(previous.processes || {});
    const alive = records.filter((r) => isSameProcess(r));
    const complete = Boolean(previous.generator && previous.provider);
    if (complete && records.length && alive.length === records.length) {
      log(
        `already running (started ${previous.startedAt}); not starting anything. Stop it with make shutdown.`,
      );
      printInfo(previous);
      return;
    }
    log(
      `a previous launch is only partly running (${alive.length}/${records.length} processes): cleaning it up`,
    );
    await stopAll(previous);
    removeState();
  }

  if (args.includes('--build')) await build();
  for (const app of ['generator', 'provider']) appEntry(app); // "run npm run build first" when missing

  const host = env('HOST') || '127.0.0.1';
  const ports = {
    generator: portFromEnv('GENERATOR_PORT', 5001),
    provider: portFromEnv('PROVIDER_PORT', 5002),
  };
  for (const [app, port] of Object.entries(ports)) {
    if (!(await isPortFree(port))) {
      throw new UsageError(
        `port ${port} for the ${app} is already in use (another launch, or a process not started by it?); ` +
          `stop that or set ${app.toUpperCase()}_PORT`,
      );
    }
  }

  const generated = [];
  const secret = (name, bytes) => {
    if (env(name)) return env(name);
    generated.push(name);
    return randomBytes(bytes).toString('base64url');
  };
  const state = {
    version: 1,
    startedAt: new Date().toISOString(),
    repo: REPO_ROOT,
    processes: {},
    adminToken: secret('ADMIN_TOKEN', 24),
    jwtSecret: secret('JWT_SECRET', 32),
    devOpenBrandApi: env('DEV_OPEN_BRAND_API') || 'true',
    generated,
  };
  // Record each process as soon as it runs: an interrupted launch stays stoppable by make shutdown.
  const started = (name, record) => {
    state.processes[name] = record;
    writeState(state);
  };
  const onSignal = (signal) => {
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

    // MongoDB and NATS, in parallel.
    const mongoPromise = (async () => {
      if (env('MONGODB_URI')) return { uri: env('MONGODB_URI'), source: 'MONGODB_URI' };
      const wanted = env('FERRETDB_PORT')
        ? Number(env('FERRETDB_PORT'))
        : (await isPortFree(27017))
          ? 27017
          : 0;
      log('starting the FerretDB dev server');
      const ferret = await startFerretDb({
        dataDir: path.join(DATA_DIR, 'ferretdb'),
        logFile: path.join(LOG_DIR, 'ferretdb.log'),
        port: wanted,
        detached: true,
      });
      started('ferretdb', ferret.record);
      return {
        uri: ferret.uri,
        source: 'ferretdb',
        dataDir: rel(ferret.dataDir),
        logFile: rel(ferret.logFile),
      };
    })();
    const natsPromise = (async () => {
      const nats = await ensureNats({
        url: env('NATS_URL'),
        dataDir: path.join(DATA_DIR, 'nats'),
        logFile: path.join(LOG_DIR, 'nats-server.log'),
        detached: true,
      });
      if (nats.started) started('nats', nats.record);
      else if (nats.source === 'local' && !nats.jetstream) {
        log('warning: the NATS server on 127.0.0.1:4222 has no JetStream (start it with -js)');
      }
      return { url: nats.url, source: nats.source, logFile: nats.started ? rel(nats.logFile) : undefined };
    })();
    const [mongoResult, natsResult] = await Promise.allSettled([mongoPromise, natsPromise]);
    if (mongoResult.status === 'rejected') throw mongoResult.reason;
    if (natsResult.status === 'rejected') throw natsResult.reason;
    state.mongodb = mongoResult.value;
    state.nats = natsResult.value;
    writeState(state);

    // Both apps, in parallel; they must both answer /health/ready.
    const common = {
      HOST: host,
      MONGODB_URI: state.mongodb.uri,
      NATS_URL: state.nats.url,
      ADMIN_TOKEN: state.adminToken,
      LOG_LEVEL: env('LOG_LEVEL'),
    };
    const appEnv = {
      generator: { ...common, PORT: String(ports.generator), DEV_OPEN_BRAND_API: state.devOpenBrandApi },
      provider: { ...common, PORT: String(ports.provider), JWT_SECRET: state.jwtSecret },
    };
    log('starting generator and provider');
    const handles = await Promise.allSettled(
      ['generator', 'provider'].map(async (app) => {
        const handle = await startApp(app, appEnv[app], {
          logFile: path.join(LOG_DIR, `${app}.log`),
          detached: true,
          waitReady: false,
        });
        started(app, handle.record);
        await handle.ready(READY_TIMEOUT_MS);
        return handle;
      }),
    );
    const failures = handles.filter((h) => h.status === 'rejected').map((h) => h.reason.message);
    if (failures.length) throw new Error(failures.join('\n\n'));
    for (const h of handles) {
      const { name, url, port } = h.value;
      state[name] = { url, port, logFile: rel(h.value.logFile) };
    }

    state.sampleUser = await createSampleUser(state);
    writeState(state);
    printInfo(state);
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

class UsageError extends Error {}

function portFromEnv(name, fallback) {
  const raw = env(name);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`${name}=${raw} is not a TCP port`);
  return port;
}

async function build() {
  log('npm run build');
  const { code, signal } = await new Promise((resolve, reject) => {
    // Output to stderr: stdout is kept for the launch summary.
    const child = spawn('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 2, 2] });
    child.once('error', reject);
    child.once('exit', (c, s) => resolve({ code: c, signal: s }));
  });
  if (code !== 0) throw new Error(`npm run build failed (${signal || `exit ${code}`})`);
}

/** Apps first, then the FerretDB dev server, then nats-server; only what `state` records. */
async function stopAll(state) {
  const processes = state.processes || {};
  const stop = async (name) => {
    if (processes[name]) await stopPid(processes[name], { timeoutMs: 10000 });
  };
  await Promise.all([stop('generator'), stop('provider')]);
  await stop('ferretdb');
  await stop('nats');
}

async function createSampleUser(state) {
  const url = `${state.provider.url}/v1/users`;
  try {
    const res = await httpRequest(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${state.adminToken}` },
      body: {},
      timeoutMs: 10000,
    });
    const body = JSON.parse(res.body || '{}');
    if (res.status === 201 && body.userId && body.secret) return { userId: body.userId, secret: body.secret };
    log(
      `warning: could not create the sample user: POST ${url} answered ${res.status} ${res.body.slice(0, 300)}`,
    );
  } catch (err) {
    log(`warning: could not create the sample user: POST ${url}: ${err.message}`);
  }
  return null;
}

/** A URI without its password, for printing. */
function redactUri(uri) {
  try {
    const u = new URL(uri);
    if (u.password) u.password = 'xxxxx';
    return u.toString();
  } catch {
    return uri;
  }
}

function printInfo(state) {
  const g = state.generator;
  const p = state.provider;
  const user = state.sampleUser;
  const sq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
  const lines = [
    '',
    'Discount codes platform is running.',
    '',
    `  generator    ${g.url}        API docs: ${g.url}/docs`,
    `  provider     ${p.url}        API docs: ${p.url}/docs`,
    `  MongoDB      ${redactUri(state.mongodb.uri)}  (${
      state.mongodb.source === 'ferretdb'
        ? `FerretDB dev server, data in ${state.mongodb.dataDir}`
        : 'from MONGODB_URI'
    })`,
    `  NATS         ${state.nats.url}  (${
      { NATS_URL: 'from NATS_URL', local: 'already running', started: 'started by this launch' }[
        state.nats.source
      ]
    })`,
    '',
    `  ADMIN_TOKEN  ${state.adminToken}${state.generated.includes('ADMIN_TOKEN') ? '  (generated)' : ''}`,
    `  JWT_SECRET   ${state.jwtSecret}${state.generated.includes('JWT_SECRET') ? '  (generated)' : ''}`,
    user
      ? `  sample user  id ${user.userId}  secret ${user.secret}`
      : '  sample user  (not created, see the warning above; POST /v1/users on the provider with the admin token)',
    '',
    'Try:',
  ];
  const openApi = ['true', '1', 'yes'].includes(String(state.devOpenBrandApi));
  const authHeader = openApi ? '' : ` -H ${sq(`Authorization: Bearer ${state.adminToken}`)}`;
  lines.push(
    `  curl -X POST ${g.url}/discounts/api/v1.0/generate -H 'Content-Type: application/json'${authHeader} -d '{"brand_id": 1, "number_of_codes": 100}'`,
  );
  const userId = user ? encodeURIComponent(user.userId) : '<userId>';
  const userSecret = user ? encodeURIComponent(user.secret) : '<secret>';
  lines.push(`  curl ${sq(`${p.url}/discounts/api/v1.0/get_code/${userId}/${userSecret}/1`)}`);
  if (!openApi)
    lines.push('  (DEV_OPEN_BRAND_API is off: the generate call needs a brand key or the admin token)');
  lines.push('', `Logs: ${rel(LOG_DIR)}/   State: ${rel(STATE_FILE)}   Stop everything: make shutdown`, '');
  process.stdout.write(lines.join('\n'));
}

main().catch((err) => {
  process.stderr.write(`launch: ${err instanceof UsageError ? '' : 'failed: '}${err.message}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
