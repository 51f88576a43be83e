/**
 * The test tiers' FerretDB dev server, on the faster storage there is: PostgreSQL when
 * TEST_POSTGRESQL_URL names one or 127.0.0.1:5432 answers (tools/devstack/dev-database.ts), else
 * SQLite. On PostgreSQL the run gets a NEW database of its own (discounts_test_<random>), which the
 * dev server drops when it stops: two runs at once, or a colleague's make launch on the same
 * PostgreSQL, never see each other's data, as with SQLite's temporary directory. Without a
 * PostgreSQL the tiers still run, on SQLite, and say so once, loudly: claims there read every code
 * of every brand, and the e2e tier takes about twice as long (README, "Tests").
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  chooseDevServerStorage,
  postgresqlUrlFor,
  redactUrl,
  startFerretDb,
  type StartedFerretDb,
} from '../../tools/devstack';

export interface TestDevServer {
  readonly server: StartedFerretDb;
  /** One line on where it stores, for the setup's summary. */
  readonly description: string;
  /** Said once, loudly, when the tiers run on the slower storage. */
  readonly warning?: string;
}

export async function startTestDevServer(tempDir: string): Promise<TestDevServer> {
  const dataDir = join(tempDir, 'ferretdb');
  const storage = await chooseDevServerStorage({
    variable: 'TEST_POSTGRESQL_URL',
    value: process.env.TEST_POSTGRESQL_URL,
  });
  let refused: string | undefined;
  if (storage.handler === 'postgresql') {
    const url = postgresqlUrlFor(storage.url, `discounts_test_${randomBytes(5).toString('hex')}`);
    try {
      const server = await startFerretDb({ dataDir, postgresqlUrl: url, postgresqlDatabase: 'temporary' });
      return {
        server,
        description: `FerretDB dev server on PostgreSQL ${redactUrl(url)}, dropped at the end (${storage.reason})`,
      };
    } catch (error) {
      if (!storage.fallbackOk) throw error;
      refused = (error as Error).message.split('\n')[0];
    }
  }
  const server = await startFerretDb({ dataDir });
  const why = refused
    ? `the PostgreSQL on 127.0.0.1:5432 refused the dev server: ${refused}`
    : storage.reason;
  return {
    server,
    description: `FerretDB dev server on SQLite (${why})`,
    ...(storage.handler === 'sqlite' && process.env.TEST_POSTGRESQL_URL?.trim() === 'off'
      ? {}
      : {
          warning:
            `NO PostgreSQL for the dev server (${why}): the tiers run on SQLite, where every claim reads ` +
            'every code of every brand (e2e about twice as slow). Start a PostgreSQL on 127.0.0.1:5432 ' +
            '(user postgres) or set ' +
            'TEST_POSTGRESQL_URL; TEST_POSTGRESQL_URL=off chooses SQLite and silences this.',
        }),
  };
}
