import fs from 'node:fs';
import path from 'node:path';
import { runCommand, waitForLogLine } from './commands';
import { waitForPort } from './net';
import { REPO_ROOT } from './paths';
import { spawnLogged } from './processes';
import { aliveCheck, failedStart, startedServer, type ServerOptions, type StartedServer } from './servers';

/** Where the dev server stores documents: SQLite files in its data directory, or PostgreSQL. */
export type FerretDbHandler = 'sqlite' | 'postgresql';

/** The FerretDB dev server: MongoDB's wire protocol on SQLite or PostgreSQL, built from tools/ferretdb-dev. */
export interface StartedFerretDb extends StartedServer {
  /** mongodb://127.0.0.1:PORT/<dbName> */
  uri: string;
  handler: FerretDbHandler;
}

/**
 * Path of the ferretdb-dev binary: $FERRETDB_DEV_BIN, else what tools/ferretdb-dev/build.sh
 * builds (cached; the first build takes minutes) and prints as its last stdout line.
 */
export async function buildFerretDb(): Promise<string> {
  if (process.env.FERRETDB_DEV_BIN) return process.env.FERRETDB_DEV_BIN;
  const script = path.join(REPO_ROOT, 'tools', 'ferretdb-dev', 'build.sh');
  if (!fs.existsSync(script)) throw new Error(`${script} not found`);
  const { stdout } = await runCommand('bash', [script]);
  const bin = stdout.trim().split('\n').pop();
  if (!bin || !fs.existsSync(bin)) throw new Error(`build.sh printed no usable binary path (got "${bin}")`);
  return bin;
}

export interface FerretDbOptions extends ServerOptions {
  dbName?: string;
  /** Store in PostgreSQL at this URL (passed in the environment, never on the command line). */
  postgresqlUrl?: string;
  /**
   * How the dev server gets the PostgreSQL database the URL names (ferretdb-dev's
   * -postgresql-database): `existing` (default) uses it as it is; `create` creates it when
   * missing and keeps it (make launch); `temporary` creates a new one and drops it when the
   * server stops (a test run).
   */
  postgresqlDatabase?: 'existing' | 'create' | 'temporary';
  /**
   * Without the front that runs commands one at a time: claims then race across connections.
   * Only the test that shows that race uses it.
   */
  direct?: boolean;
}

/**
 * Starts the FerretDB dev server with its SQLite files in dataDir (or on PostgreSQL), on
 * 127.0.0.1:`port` (0 = a free port chosen by the server itself, read back from its "listening
 * on" line).
 */
export async function startFerretDb({
  dataDir,
  logFile = path.join(dataDir, 'ferretdb.log'),
  port = 0,
  dbName = 'discounts',
  detached = false,
  timeoutMs = 60_000,
  postgresqlUrl,
  postgresqlDatabase = 'existing',
  direct = false,
}: FerretDbOptions): Promise<StartedFerretDb> {
  fs.mkdirSync(dataDir, { recursive: true });
  const bin = await buildFerretDb();
  const storage = postgresqlUrl
    ? ['-handler', 'postgresql', '-postgresql-database', postgresqlDatabase]
    : ['-sqlite-dir', dataDir];
  const proc = await spawnLogged(
    bin,
    ['-listen', `127.0.0.1:${port}`, ...storage, '-log-level', 'warn', ...(direct ? ['-direct'] : [])],
    { logFile, detached, env: postgresqlUrl ? { FERRETDB_POSTGRESQL_URL: postgresqlUrl } : undefined },
  );
  const alive = aliveCheck(proc);
  try {
    const match = await waitForLogLine(logFile, /ferretdb-dev listening on (\S+)/, {
      fromOffset: proc.logOffset,
      timeoutMs,
      isAlive: alive,
    });
    const address = match[1]!;
    const actualPort = Number(address.slice(address.lastIndexOf(':') + 1));
    await waitForPort('127.0.0.1', actualPort, { timeoutMs: 10_000, isAlive: alive });
    return {
      ...startedServer(proc, 'ferretdb-dev', actualPort, dataDir),
      uri: `mongodb://127.0.0.1:${actualPort}/${dbName}`,
      handler: postgresqlUrl ? 'postgresql' : 'sqlite',
    };
  } catch (err) {
    throw await failedStart(proc, `FerretDB dev server (${bin})`, err);
  }
}

/**
 * Drops the PostgreSQL database `postgresqlUrl` names, when it exists (make clean-data); the dev
 * server refuses to drop postgres and the template databases. The URL goes in the environment.
 */
export async function dropFerretDbPostgresql(postgresqlUrl: string): Promise<void> {
  const bin = await buildFerretDb();
  const args = ['-listen', '127.0.0.1:0', '-handler', 'postgresql', '-postgresql-database', 'drop'];
  await runCommand(bin, args, { env: { FERRETDB_POSTGRESQL_URL: postgresqlUrl }, stderr: 'pipe' });
}
