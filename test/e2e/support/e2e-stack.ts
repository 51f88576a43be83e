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
  TEST_ADMIN_TOKEN,
  type AppHandle,
  type AppName,
} from '../../support/stack';
import { client, type Client } from './http';

export interface E2eStackOptions {
  /** Short name of the spec, used in the database name. */
  label: string;
  generatorEnv?: Record<string, string | undefined>;
  providerEnv?: Record<string, string | undefined>;
}

export interface E2eStack {
  readonly generator: AppHandle;
  readonly provider: AppHandle;
  readonly gen: Client;
  readonly prov: Client;
  readonly mongodbUri: string;
  readonly natsUrl: string;
  readonly isFerretDb: boolean;
  /** The spec's database (one client, opened lazily). */
  db(): Promise<mongo.Db>;
  /** Stops both apps and the private NATS, drops the database. Safe to call twice. */
  stop(): Promise<void>;
}

export const ADMIN_TOKEN = TEST_ADMIN_TOKEN;

export async function startE2eStack(opts: E2eStackOptions): Promise<E2eStack> {
  const base = testStack();
  const dbName = `e2e_${opts.label.replace(/[^A-Za-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const mongodbUri = mongodbUriFor(dbName);
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
    try {
      const nats = await startNats({ dataDir: join(tempDir, 'nats') });
      natsUrl = nats.url;
      cleanups.push(() => stopPid(nats.record, 5_000));
    } catch (error) {
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

    const start = async (name: AppName, env: Record<string, string | undefined> = {}) => {
      const handle = await startApp(name, { MONGODB_URI: mongodbUri, NATS_URL: natsUrl, ...env });
      cleanups.push(async () => {
        await handle.stop();
        if (process.env.E2E_SHOW_LOGS === '1') {
          process.stderr.write(`--- ${opts.label}: ${name} logs ---\n${handle.logs()}\n`);
        }
      });
      return handle;
    };
    // One after the other: both at once on two shared cores mostly adds contention.
    const generator = await start('generator', opts.generatorEnv);
    const provider = await start('provider', opts.providerEnv);

    const stack: E2eStack = {
      generator,
      provider,
      gen: client(generator.url),
      prov: client(provider.url),
      mongodbUri,
      natsUrl,
      isFerretDb: base.isFerretDb,
      async db() {
        if (!client_) {
          client_ = new mongo.MongoClient(mongodbUri, { serverSelectionTimeoutMS: 10_000 });
          await client_.connect();
        }
        return client_.db();
      },
      stop: cleanup,
    };
    return stack;
  } catch (error) {
    await cleanup();
    throw error;
  }
}
