/**
 * make launch's MongoDB: $MONGODB_URI, else the FerretDB dev server on the storage
 * chooseDevServerStorage picks from DEV_POSTGRESQL_URL (PostgreSQL when one is there, else
 * SQLite in .data/ferretdb). On PostgreSQL the dev server keeps its data in a database of its own,
 * LAUNCH_POSTGRESQL_DATABASE unless DEV_POSTGRESQL_URL names one, created on first launch and
 * kept between launches like .data/ferretdb: no other database of that PostgreSQL is touched.
 */
import path from 'node:path';
import { chooseDevServerStorage, databaseOf, postgresqlUrlFor, redactUrl } from './dev-database';
import { startFerretDb, type FerretDbOptions, type StartedFerretDb } from './ferretdb';
import { log, rel } from './launch-summary';
import { isPortFree } from './net';
import type { ProcessRecord } from './processes';
import { DATA_DIR, LOG_DIR, type LaunchState } from './state';

export const LAUNCH_POSTGRESQL_DATABASE = 'discounts_dev';

const env = (name: string) => (process.env[name] === '' ? undefined : process.env[name]);

/**
 * Starts what MONGODB_URI stands for when it is unset, and calls `started` with it as soon as it
 * runs. `paths` replaces .data/ferretdb and .data/logs/ferretdb.log (for tests).
 */
export async function startLaunchDatabase(
  started: (record: ProcessRecord) => void,
  paths: { dataDir?: string; logFile?: string } = {},
): Promise<NonNullable<LaunchState['mongodb']>> {
  const uri = env('MONGODB_URI');
  if (uri) return { uri, source: 'MONGODB_URI' };
  const port = env('FERRETDB_PORT') ? Number(env('FERRETDB_PORT')) : (await isPortFree(27017)) ? 27017 : 0;
  const common: FerretDbOptions = {
    dataDir: paths.dataDir ?? path.join(DATA_DIR, 'ferretdb'),
    logFile: paths.logFile ?? path.join(LOG_DIR, 'ferretdb.log'),
    port,
    detached: true,
  };
  const storage = await chooseDevServerStorage({
    variable: 'DEV_POSTGRESQL_URL',
    value: env('DEV_POSTGRESQL_URL'),
  });
  let ferret: StartedFerretDb | undefined;
  let reason = storage.reason;
  let postgresql: string | undefined;
  if (storage.handler === 'postgresql') {
    const url = postgresqlUrlFor(storage.url, databaseOf(storage.url) ?? LAUNCH_POSTGRESQL_DATABASE);
    postgresql = redactUrl(url);
    log(`starting the FerretDB dev server on PostgreSQL ${postgresql} (${storage.reason})`);
    try {
      ferret = await startFerretDb({ ...common, postgresqlUrl: url, postgresqlDatabase: 'create' });
    } catch (error) {
      if (!storage.fallbackOk) throw error;
      const why = (error as Error).message.split('\n').find((line) => line.startsWith('ferretdb-dev: '));
      log(
        `the PostgreSQL on 127.0.0.1:5432 refused the dev server (${why ?? 'see .data/logs/ferretdb.log'})`,
      );
      reason = `the PostgreSQL on 127.0.0.1:5432 refused it; set DEV_POSTGRESQL_URL to use it`;
      postgresql = undefined;
    }
  }
  if (!ferret) {
    log(`starting the FerretDB dev server on SQLite in ${rel(common.dataDir)} (${reason})`);
    ferret = await startFerretDb(common);
  }
  started(ferret.record);
  return {
    uri: ferret.uri,
    source: 'ferretdb',
    handler: ferret.handler,
    reason,
    ...(postgresql ? { postgresql } : { dataDir: rel(ferret.dataDir) }),
    logFile: rel(ferret.logFile),
  };
}
