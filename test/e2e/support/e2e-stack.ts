/**
 * One e2e spec file's stack: its own database on the test MongoDB, its own NATS server when
 * nats-server is installed, and both apps started from dist/ on free ports.
 *
 * Why a private NATS: the apps subscribe with queue groups named after the service, so any other
 * generator connected to a shared NATS (a colleague's `make launch`, another test run) would take
 * a share of the claim events and bump ITS database's counters instead of ours, and its providers'
 * events would reach our generator. Without nats-server (NATS_URL given, binary absent) the
 * global setup's NATS is used instead.
 *
 * Specs that stop NATS or the apps mid-test (outages, restarts) use `requirePrivateNats`: they
 * fail loudly instead of running against a NATS they must not stop. stopNats()/startNats() stop
 * and restart that server by PID on the same port and store; restart() replaces an app process.
 *
 * E2E_SHOW_LOGS=1 prints both apps' captured output when the stack stops.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import {
  mongodbUriFor,
  startApp,
  startNats,
  stopPid,
  testStack,
  TEST_ADMIN_TOKENS,
  type AppHandle,
  type AppName,
  type StartAppOptions,
  type StartedNats,
} from '../../support/stack';
import { client, type Client } from './http';

export interface E2eStackOptions {
  /** Short name of the spec, used in the database name. */
  label: string;
  generatorEnv?: Record<string, string | undefined>;
  providerEnv?: Record<string, string | undefined>;
  /**
   * Fail instead of falling back to a shared NATS (for specs that stop NATS); a string is why the
   * spec needs its own, said in that failure (default: it stops and restarts NATS).
   */
  requirePrivateNats?: boolean | string;
  /** A MongoDB-wire server of the spec's own (a dev server it started) instead of the test stack's. */
  mongodb?: { uri: string; isFerretDb: boolean };
}

export interface E2eStack {
  /** The current processes: restart() replaces them (and the clients follow). */
  readonly generator: AppHandle;
  readonly provider: AppHandle;
  /** The apps' API ports: what the public ingress reaches. */
  readonly gen: Client;
  readonly prov: Client;
  /** The apps' admin ports (ADMIN_PORT), sending the app's own admin token unless told otherwise. */
  readonly genAdmin: Client;
  readonly provAdmin: Client;
  readonly mongodbUri: string;
  readonly natsUrl: string;
  readonly isFerretDb: boolean;
  /** The spec's database (one client, opened lazily). */
  db(): Promise<mongo.Db>;
  /**
   * Stops `name` (SIGTERM, or `signal`) when it runs, then starts a new process of it with the
   * stack's env plus `env`; resolves once it is ready unless opts.waitReady is false.
   */
  restart(
    name: AppName,
    opts?: { env?: Record<string, string | undefined>; signal?: NodeJS.Signals; waitReady?: boolean },
  ): Promise<AppHandle>;
  /**
   * Starts one more process of `name` beside the stack's own (a second generator replica), with
   * the stack's env plus `env`; it is stopped with the stack unless the test stops it first.
   */
  startExtra(name: AppName, env?: Record<string, string | undefined>): Promise<AppHandle>;
  /** Stops an app without starting it again. */
  stopApp(name: AppName, signal?: NodeJS.Signals): Promise<void>;
  /** Stops the private NATS server by PID (requirePrivateNats). */
  stopNats(): Promise<void>;
  /** Starts the private NATS server again on its port, with its JetStream store. */
  startNats(): Promise<void>;
  /** Stops both apps and the private NATS, drops the database. Safe to call twice. */
  stop(): Promise<void>;
}

/** Each app has its own admin token, honoured on its admin port only (genAdmin, provAdmin). */
export const GENERATOR_ADMIN_TOKEN = TEST_ADMIN_TOKENS.generator;
export const PROVIDER_ADMIN_TOKEN = TEST_ADMIN_TOKENS.provider;

/** The admin client of an app: its admin port and its admin token. */
function adminClient(handle: AppHandle, token: string): Client {
  if (!handle.adminUrl) throw new Error(`${handle.name} was started without ADMIN_PORT: no admin client`);
  return client(handle.adminUrl, { token });
}

export async function startE2eStack(opts: E2eStackOptions): Promise<E2eStack> {
  const base = testStack();
  const dbName = `e2e_${opts.label.replace(/[^A-Za-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const mongodbUri = mongodbUriFor(dbName, opts.mongodb?.uri);
  const tempDir = mkdtempSync(join(tmpdir(), `e2e-${opts.label}-`));
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (error) {
        process.stderr.write(`[e2e ${opts.label}] cleanup: ${String(error)}\n`);
      }
    }
  };
  cleanups.push(() => Promise.resolve(rmSync(tempDir, { recursive: true, force: true })));

  try {
    let natsUrl = base.natsUrl;
    let nats: StartedNats | undefined;
    const natsDir = join(tempDir, 'nats');
    try {
      nats = await startNats({ dataDir: natsDir });
      natsUrl = nats.url;
      cleanups.push(() => (nats ? stopPid(nats.record, 5_000) : Promise.resolve()));
    } catch (error) {
      if (opts.requirePrivateNats) {
        const why =
          typeof opts.requirePrivateNats === 'string' ? opts.requirePrivateNats : 'stops and restarts NATS';
        throw new Error(
          `[e2e ${opts.label}] this spec ${why}, so it needs a nats-server of its own, ` +
            `and none could be started: ${String(error)}`,
        );
      }
      process.stderr.write(
        `[e2e ${opts.label}] no private NATS (${String(error).split('\n')[0]}); using ${natsUrl}\n`,
      );
    }

    let client_: mongo.MongoClient | undefined;
    cleanups.push(async () => {
      const c = new mongo.MongoClient(mongodbUri, { serverSelectionTimeoutMS: 5_000 });
      try {
        await c.connect();
        await c.db().dropDatabase();
      } finally {
        await c.close();
      }
    });
    cleanups.push(async () => {
      await client_?.close();
    });

    const apps: Partial<Record<AppName, AppHandle>> = {};
    const baseEnv = (name: AppName) => (name === 'generator' ? opts.generatorEnv : opts.providerEnv);
    const start = async (
      name: AppName,
      env: Record<string, string | undefined> = {},
      startOpts: StartAppOptions = {},
    ) => {
      const handle = await startApp(
        name,
        { MONGODB_URI: mongodbUri, NATS_URL: natsUrl, ...baseEnv(name), ...env },
        startOpts,
      );
      apps[name] = handle;
      cleanups.push(async () => {
        await handle.stop();
        if (process.env.E2E_SHOW_LOGS === '1') {
          process.stderr.write(`--- ${opts.label}: ${name} (pid ${handle.pid}) logs ---\n${handle.logs()}\n`);
        }
      });
      return handle;
    };
    const stopApp = async (name: AppName, signal: NodeJS.Signals = 'SIGTERM') => {
      const handle = apps[name];
      if (!handle || handle.child.exitCode !== null || handle.child.signalCode !== null) return;
      if (signal === 'SIGTERM') await handle.stop();
      else {
        handle.kill(signal);
        await handle.exited;
      }
    };
    // One after the other: both at once on two shared cores mostly adds contention.
    await start('generator');
    await start('provider');

    const stack: E2eStack = {
      get generator() {
        return apps.generator!;
      },
      get provider() {
        return apps.provider!;
      },
      get gen() {
        return client(apps.generator!.url);
      },
      get prov() {
        return client(apps.provider!.url);
      },
      get genAdmin() {
        return adminClient(apps.generator!, GENERATOR_ADMIN_TOKEN);
      },
      get provAdmin() {
        return adminClient(apps.provider!, PROVIDER_ADMIN_TOKEN);
      },
      mongodbUri,
      natsUrl,
      isFerretDb: opts.mongodb?.isFerretDb ?? base.isFerretDb,
      async db() {
        if (!client_) {
          client_ = new mongo.MongoClient(mongodbUri, { serverSelectionTimeoutMS: 10_000 });
          await client_.connect();
        }
        return client_.db();
      },
      async restart(name, restartOpts = {}) {
        await stopApp(name, restartOpts.signal);
        return start(name, restartOpts.env, { waitReady: restartOpts.waitReady ?? true });
      },
      async startExtra(name, env = {}) {
        const handle = await startApp(name, {
          MONGODB_URI: mongodbUri,
          NATS_URL: natsUrl,
          ...baseEnv(name),
          ...env,
        });
        cleanups.push(async () => {
          await handle.stop();
          if (process.env.E2E_SHOW_LOGS === '1') {
            process.stderr.write(
              `--- ${opts.label}: extra ${name} (pid ${handle.pid}) logs ---\n${handle.logs()}\n`,
            );
          }
        });
        return handle;
      },
      stopApp,
      async stopNats() {
        if (!nats) throw new Error(`[e2e ${opts.label}] no private NATS to stop`);
        const result = await stopPid(nats.record, 5_000);
        if (result !== 'stopped' && result !== 'killed')
          throw new Error(`nats-server did not stop: ${result}`);
      },
      async startNats() {
        if (!nats) throw new Error(`[e2e ${opts.label}] no private NATS to start`);
        // Same port (clients reconnect to it) and same store (the stream and consumers survive).
        nats = await startNats({ dataDir: natsDir, port: nats.port });
      },
      stop: cleanup,
    };
    return stack;
  } catch (error) {
    await cleanup();
    throw error;
  }
}
