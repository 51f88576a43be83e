/**
 * Jest global setup of the integration and e2e tiers (jest.integration.config.js,
 * jest.e2e.config.js). Runs once, in jest's parent process, before any test file:
 *
 *   MongoDB  $MONGODB_URI when set; else a FRESH FerretDB dev server (tools/ferretdb-dev, built and
 *            cached by its build.sh) on a free port, on a temporary PostgreSQL database when a
 *            PostgreSQL is there, else in a temporary SQLite directory (test-dev-server.ts).
 *   NATS     $NATS_URL when set; else nats://127.0.0.1:4222 when a NATS server answers there;
 *            else a nats-server -js on a free port with a temporary store.
 *
 * Tests read the choice from process.env (workers inherit it), best through test/support/stack.ts:
 *   TEST_MONGODB_URI          mongodb://…/discounts (pick your own database: mongodbUriFor())
 *   TEST_NATS_URL             nats://…
 *   TEST_MONGODB_IS_FERRETDB  "1" when MongoDB is the FerretDB dev server started here
 *   TEST_FERRETDB_HANDLER     its storage then: sqlite or postgresql
 *
 * global-teardown.ts stops only what was started here (by PID) and removes the temporary
 * directories. Apps under test are started by the tests themselves: startApp() in stack.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNats, stopPid } from '../../tools/devstack';
import type { ProcessRecord } from '../../tools/devstack';
import { startTestDevServer } from './test-dev-server';

export interface StartedByGlobalSetup {
  name: string;
  record: ProcessRecord;
  logFile: string;
}

export interface GlobalStackState {
  tempDir: string;
  started: StartedByGlobalSetup[];
}

/** Where global-teardown.ts finds what to stop (both run in jest's parent process). */
export const STATE_KEY = '__DISCOUNTS_TEST_STACK__';

export default async function globalSetup(): Promise<void> {
  const tempDir = mkdtempSync(join(tmpdir(), 'discounts-test-stack-'));
  const state: GlobalStackState = { tempDir, started: [] };
  (globalThis as Record<string, unknown>)[STATE_KEY] = state;
  try {
    // allSettled: when one fails, the other has still finished starting before the cleanup below.
    const [mongoResult, natsResult] = await Promise.allSettled([
      process.env.MONGODB_URI
        ? Promise.resolve({ uri: process.env.MONGODB_URI, started: null })
        : startTestDevServer(tempDir).then((dev) => {
            const f = dev.server;
            state.started.push({ name: 'ferretdb-dev', record: f.record, logFile: f.logFile });
            return { uri: f.uri, started: dev };
          }),
      ensureNats({ url: process.env.NATS_URL, dataDir: join(tempDir, 'nats') }).then((n) => {
        if (n.started) state.started.push({ name: 'nats-server', record: n.record, logFile: n.logFile });
        return n;
      }),
    ]);
    if (mongoResult.status === 'rejected') throw mongoResult.reason;
    if (natsResult.status === 'rejected') throw natsResult.reason;
    const mongo = mongoResult.value;
    const nats = natsResult.value;

    process.env.TEST_MONGODB_URI = mongo.uri;
    process.env.TEST_NATS_URL = nats.url;
    if (mongo.started) {
      process.env.TEST_MONGODB_IS_FERRETDB = '1';
      process.env.TEST_FERRETDB_HANDLER = mongo.started.server.handler;
    } else {
      delete process.env.TEST_MONGODB_IS_FERRETDB;
      delete process.env.TEST_FERRETDB_HANDLER;
    }

    const describe = (what: string, url: string, started: boolean) =>
      `${what} ${url}${started ? ' (started for this run)' : ''}`;
    process.stderr.write(
      `\n[test stack] ${describe('MongoDB', mongo.uri, mongo.started !== null)}` +
        `${mongo.started ? `: ${mongo.started.description}` : ''}; ` +
        `${describe('NATS', nats.url, nats.started)}\n`,
    );
    const warning = mongo.started?.warning;
    if (warning)
      process.stderr.write(`\n${'!'.repeat(100)}\n[test stack] ${warning}\n${'!'.repeat(100)}\n\n`);
  } catch (err) {
    // Whatever did start must not outlive a failed setup (jest skips teardown then).
    await Promise.all(state.started.map((s) => stopPid(s.record, { timeoutMs: 5000 })));
    rmSync(tempDir, { recursive: true, force: true });
    delete (globalThis as Record<string, unknown>)[STATE_KEY];
    throw err;
  }
}
