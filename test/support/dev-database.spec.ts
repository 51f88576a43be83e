/**
 * Which storage make launch (DEV_POSTGRESQL_URL) and the test tiers (TEST_POSTGRESQL_URL) give the
 * FerretDB dev server: tools/devstack/dev-database.ts, with the probe of 127.0.0.1:5432 replaced.
 * The real start on each storage is proven by test/integration/dev-server-storage.int-spec.ts.
 */
import {
  chooseDevServerStorage,
  databaseOf,
  LOCAL_POSTGRESQL_URL,
  postgresqlUrlFor,
  redactUrl,
} from '../../tools/devstack';

const probes: Array<[string, number]> = [];
const answering =
  (answers: boolean) =>
  (host: string, port: number): Promise<boolean> => {
    probes.push([host, port]);
    return Promise.resolve(answers);
  };
const choose = (value: string | undefined, answers: boolean) =>
  chooseDevServerStorage({ variable: 'DEV_POSTGRESQL_URL', value, probe: answering(answers) });

beforeEach(() => probes.splice(0));

describe('chooseDevServerStorage', () => {
  it('takes PostgreSQL at the URL given, without probing, and never falls back from it', async () => {
    const url = 'postgres://dev:pw@db.internal:6432/mine';
    await expect(choose(url, false)).resolves.toEqual({
      handler: 'postgresql',
      url,
      reason: 'DEV_POSTGRESQL_URL is set',
      fallbackOk: false,
    });
    expect(probes).toEqual([]);
  });

  it('takes the local PostgreSQL when 127.0.0.1:5432 answers, SQLite allowed to stand in', async () => {
    await expect(choose(undefined, true)).resolves.toEqual({
      handler: 'postgresql',
      url: LOCAL_POSTGRESQL_URL,
      reason: 'a PostgreSQL answers on 127.0.0.1:5432 (DEV_POSTGRESQL_URL unset)',
      fallbackOk: true,
    });
    expect(probes).toEqual([['127.0.0.1', 5432]]);
  });

  it('takes SQLite when nothing answers there, and says why', async () => {
    await expect(choose('', false)).resolves.toEqual({
      handler: 'sqlite',
      reason: 'DEV_POSTGRESQL_URL is unset and no PostgreSQL answers on 127.0.0.1:5432',
    });
  });

  it('takes SQLite on "off" even when a PostgreSQL answers', async () => {
    await expect(choose('off', true)).resolves.toEqual({
      handler: 'sqlite',
      reason: 'DEV_POSTGRESQL_URL=off',
    });
    expect(probes).toEqual([]);
  });

  it('refuses a value that is no postgres:// URL, without echoing a password', async () => {
    await expect(choose('mysql://root:hunter2@db/x', true)).rejects.toThrow(
      /^DEV_POSTGRESQL_URL must be a postgres:\/\/ URL or off \(got "mysql:\/\/db\/x"\)$/,
    );
  });
});

describe('PostgreSQL URLs', () => {
  it('reads the database a URL names, if any', () => {
    expect(databaseOf('postgres://u@h:5432/discounts_dev')).toBe('discounts_dev');
    expect(databaseOf('postgres://u@h:5432/')).toBeUndefined();
    expect(databaseOf('postgres://u@h')).toBeUndefined();
  });

  it('swaps the database, keeping server, credentials and options', () => {
    expect(postgresqlUrlFor('postgres://u:p@h:5433/postgres?sslmode=disable', 'discounts_test_ab12')).toBe(
      'postgres://u:p@h:5433/discounts_test_ab12?sslmode=disable',
    );
  });

  it('prints no credentials', () => {
    expect(redactUrl('postgres://user:secret@h:5432/discounts_dev')).toBe('postgres://h:5432/discounts_dev');
    expect(redactUrl('not a url')).not.toContain('not a url');
  });
});
