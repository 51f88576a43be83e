/**
 * make clean-data, after make shutdown and before .data is deleted: drops the PostgreSQL database
 * make launch keeps the dev server's data in (launch-database.ts), found the way launch finds it.
 * The data must go with .data: the secrets kept there (USER_SECRET_PEPPER, WEBHOOK_SECRET_KEYS)
 * are what opens it, and a launch after them with new ones would fail every stored user.
 */
import { chooseDevServerStorage, databaseOf, postgresqlUrlFor, redactUrl } from './dev-database';
import { dropFerretDbPostgresql } from './ferretdb';
import { LAUNCH_POSTGRESQL_DATABASE } from './launch-database';

const log = (msg: string) => process.stdout.write(`clean-data: ${msg}\n`);

async function main(): Promise<void> {
  if (process.env.MONGODB_URI) {
    log('MONGODB_URI is set: its database is not make launch’s, left alone');
    return;
  }
  const storage = await chooseDevServerStorage({
    variable: 'DEV_POSTGRESQL_URL',
    value: process.env.DEV_POSTGRESQL_URL || undefined,
  });
  if (storage.handler !== 'postgresql') {
    log(`no PostgreSQL database to drop (${storage.reason})`);
    return;
  }
  const url = postgresqlUrlFor(storage.url, databaseOf(storage.url) ?? LAUNCH_POSTGRESQL_DATABASE);
  try {
    await dropFerretDbPostgresql(url);
    log(`dropped ${redactUrl(url)}`);
  } catch (error) {
    if (!storage.fallbackOk) throw error;
    // The probed PostgreSQL refused the dev server: launch used SQLite, nothing to drop there.
    log(`${redactUrl(url)} not dropped: ${(error as Error).message.split('\n').pop() ?? ''}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`clean-data: failed: ${(err as Error).message}\n`);
  process.exit(1);
});
