/**
 * Helpers for the integration and e2e tiers: a layer over tools/devstack (the same
 * start/stop code `make launch` uses). The MongoDB and NATS chosen by the global setup are in
 * process.env.TEST_MONGODB_URI / TEST_NATS_URL (see global-setup.ts); `testStack()` reads them.
 */
import { randomBytes } from 'node:crypto';
import * as devstack from '../../tools/devstack';
import type { AppHandle, AppName, HttpResponse, StartAppOptions } from '../../tools/devstack';

export type { AppHandle, AppName, HttpResponse, StartAppOptions, StartedNats } from '../../tools/devstack';

/**
 * The ADMIN_TOKEN startApp() gives each app unless the test passes its own: one per app, as in a
 * deployment, so that a test using the wrong app's token fails.
 */
export const TEST_ADMIN_TOKENS: Readonly<Record<AppName, string>> = {
  generator: 'test-generator-admin-token-0123456789',
  provider: 'test-provider-admin-token-0123456789',
};
/** The JWT_SECRET startApp() gives the apps unless the test passes its own. */
/** The key that seals webhook secrets in test runs (base64 of 32 bytes). */
export const TEST_WEBHOOK_SECRET_KEYS = `test:${Buffer.alloc(32, 7).toString('base64')}`;
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789abcdef';
/** The provider's USER_SECRET_PEPPER in test runs: specs recompute stored hashes with it. */
export const TEST_USER_SECRET_PEPPER = 'test-user-secret-pepper-0123456789abcdef';

/**
 * Limits startApp() sets unless the test passes its own: high enough never to trip, while every
 * request still goes through the shared counters. Most specs send many requests, and many wrong
 * credentials on purpose, all from 127.0.0.1; rate-limits.e2e-spec.ts sets tight ones.
 */
export const TEST_RATE_LIMITS: Readonly<Record<string, string>> = {
  RATE_LIMIT_LEGACY_PER_IP: '1000000/1m',
  RATE_LIMIT_CLAIMS_PER_USER: '1000000/1m',
  RATE_LIMIT_GENERATION_PER_BRAND: '1000000/1m',
  RATE_LIMIT_READS_PER_BRAND: '1000000/1m',
  AUTH_FAILURES_PER_IP: '1000000/1m',
  AUTH_FAILURES_PER_USER_IP: '1000000/1m',
};

export interface TestStack {
  mongodbUri: string;
  natsUrl: string;
  /** True when MongoDB is the FerretDB dev server started by the global setup. */
  isFerretDb: boolean;
  /** Its storage then (see test-dev-server.ts); null on MONGODB_URI. */
  ferretDbHandler: devstack.FerretDbHandler | null;
}

/** The MongoDB and NATS the global setup chose; throws when it did not run. */
export function testStack(): TestStack {
  const mongodbUri = process.env.TEST_MONGODB_URI;
  const natsUrl = process.env.TEST_NATS_URL;
  if (!mongodbUri || !natsUrl) {
    throw new Error(
      'TEST_MONGODB_URI / TEST_NATS_URL are not set: run this test through jest.integration.config.js or ' +
        'jest.e2e.config.js (their global setup provides MongoDB and NATS)',
    );
  }
  const handler = process.env.TEST_FERRETDB_HANDLER;
  return {
    mongodbUri,
    natsUrl,
    isFerretDb: process.env.TEST_MONGODB_IS_FERRETDB === '1',
    ferretDbHandler: handler === 'sqlite' || handler === 'postgresql' ? handler : null,
  };
}

/**
 * The test stack's MongoDB URI (or `baseUri`) with another database name, so that test files do
 * not see each other's data: `mongodbUriFor('claims-e2e')`.
 */
export function mongodbUriFor(dbName: string, baseUri = testStack().mongodbUri): string {
  const url = new URL(baseUri);
  url.pathname = `/${dbName}`;
  return url.toString();
}

export const freePort = (): Promise<number> => devstack.freePort();

/** Polls `url` until it answers `status` (200); rejects after timeoutMs with the last answer seen. */
export const waitForHttp = (url: string, timeoutMs = 30_000, status = 200): Promise<HttpResponse> =>
  devstack.waitForHttp(url, { timeoutMs, status });

/**
 * Starts an app from dist/ (throws "run npm run build first" when it is not built) on a free port,
 * wired to the test stack, and waits for /health/ready unless opts.waitReady is false. Defaults:
 * PORT and ADMIN_PORT (free: admin requests go to handle.adminUrl, as in a deployment), HOST
 * 127.0.0.1, MONGODB_URI, NATS_URL, ADMIN_TOKEN (TEST_ADMIN_TOKENS), JWT_SECRET, WEBHOOK_SECRET_KEYS,
 * USER_SECRET_PEPPER (the provider only), LOG_LEVEL warn,
 * SHUTDOWN_DELAY_MS 0, TEST_RATE_LIMITS, LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS off;
 * `env` overrides any of them (set a value to undefined to unset it). Output is kept in memory:
 * `handle.logs()`. Stop it with `await handle.stop()` (resolves the exit code).
 */
export async function startApp(
  name: AppName,
  env: Record<string, string | undefined> = {},
  opts: StartAppOptions = {},
): Promise<AppHandle> {
  const { mongodbUri, natsUrl } = testStack();
  const port = await freePort();
  let adminPort = await freePort();
  while (adminPort === port) adminPort = await freePort();
  return devstack.startApp(
    name,
    {
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
      HOST: '127.0.0.1',
      MONGODB_URI: mongodbUri,
      NATS_URL: natsUrl,
      ADMIN_TOKEN: TEST_ADMIN_TOKENS[name],
      JWT_SECRET: TEST_JWT_SECRET,
      WEBHOOK_SECRET_KEYS: TEST_WEBHOOK_SECRET_KEYS,
      // Only the app that reads it holds it, as in a deployment.
      ...(name === 'provider' ? { USER_SECRET_PEPPER: TEST_USER_SECRET_PEPPER } : {}),
      LOG_LEVEL: 'warn',
      // No readiness pause when a test stops an app: nothing balances load in front of it.
      SHUTDOWN_DELAY_MS: '0',
      ...TEST_RATE_LIMITS,
      // A test machine shared with other suites can starve a process for a second now and then:
      // event-loop delay is then the machine's, not the app's. load-shedding.e2e-spec sets its own.
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: 'off',
      ...env,
    },
    opts,
  );
}

/**
 * A nats-server of the test's own (for tests that stop and restart NATS); stop it with
 * stopPid(nats.record). dataDir must be a temporary directory the test removes.
 */
export const startNats = (opts: { dataDir: string; port?: number; configFile?: string }) =>
  devstack.startNats(opts);

/**
 * PostgreSQL for the dev server's PostgreSQL handler: TEST_POSTGRESQL_URL, else the local one
 * (TEST_POSTGRESQL_URL=off keeps the global setup's dev server on SQLite, test-dev-server.ts).
 */
export const TEST_POSTGRESQL_URL =
  process.env.TEST_POSTGRESQL_URL && process.env.TEST_POSTGRESQL_URL !== 'off'
    ? process.env.TEST_POSTGRESQL_URL
    : 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Fails, naming what is missing, unless a PostgreSQL accepts connections at TEST_POSTGRESQL_URL:
 * the specs that prove the dev server on PostgreSQL cannot run without one. Resolves that URL
 * with a new database name of its own each time: start the dev server on it with
 * `postgresqlDatabase: 'temporary'`, so that it creates it, and drops it when stopped.
 */
export async function requirePostgresql(): Promise<string> {
  const { host, port } = devstack.hostPort(TEST_POSTGRESQL_URL, 5432);
  if (!(await devstack.canConnect(host, port, 2_000))) {
    throw new Error(
      `no PostgreSQL answers at ${host}:${port} (TEST_POSTGRESQL_URL): this case runs the ` +
        'dev server on PostgreSQL and cannot run without one',
    );
  }
  return devstack.postgresqlUrlFor(TEST_POSTGRESQL_URL, `discounts_test_${randomBytes(5).toString('hex')}`);
}

/**
 * A FerretDB dev server of the test's own (SQLite in dataDir, or PostgreSQL; `direct` leaves out
 * the front that serializes commands). Stop it with stopPid(server.record).
 */
export const startFerretDb = (opts: devstack.FerretDbOptions) => devstack.startFerretDb(opts);

/** Stops a process this test started (SIGTERM, then SIGKILL after timeoutMs). */
export const stopPid = (
  pidOrRecord: number | devstack.ProcessRecord,
  timeoutMs = 10_000,
): Promise<devstack.StopResult> => devstack.stopPid(pidOrRecord, { timeoutMs });

export const httpRequest = devstack.httpRequest;
