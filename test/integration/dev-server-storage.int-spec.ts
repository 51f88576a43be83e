/**
 * The FerretDB dev server's storage, for real: make launch starts it on the PostgreSQL that
 * DEV_POSTGRESQL_URL names (in that database only), on SQLite with DEV_POSTGRESQL_URL=off, and
 * refuses rather than falls back when the PostgreSQL it was told to use refuses it; the test tiers
 * run on PostgreSQL when one answers. Each time the server itself says which storage it runs on
 * (buildInfo), which is what the generator's slow-claims warning reads. The choice's rules are
 * unit-tested in test/support/dev-database.spec.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { databaseServerOf } from '@app/persistence';
import { canConnect, databaseOf, type ProcessRecord } from '../../tools/devstack';
import { startLaunchDatabase } from '../../tools/devstack/launch-database';
import { requirePostgresql, startFerretDb, stopPid, testStack } from '../support/stack';

const tempDir = mkdtempSync(join(tmpdir(), 'dev-server-storage-'));
const started: ProcessRecord[] = [];
const savedEnv = { ...process.env };

afterEach(() => {
  for (const name of ['MONGODB_URI', 'DEV_POSTGRESQL_URL', 'FERRETDB_PORT']) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

afterAll(async () => {
  // Newest first: a temporary database's own server goes last, and drops it.
  for (const record of started.reverse()) await stopPid(record, 30_000);
  rmSync(tempDir, { recursive: true, force: true });
}, 90_000);

/** What the server at `uri` says about itself. */
async function describeServer(uri: string) {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    return databaseServerOf(await client.db().admin().command({ buildInfo: 1 }));
  } finally {
    await client.close();
  }
}

/** make launch's start of the dev server, with files in this test's directory and any free port. */
function launchDatabase(env: Record<string, string>, name: string) {
  delete process.env.MONGODB_URI;
  Object.assign(process.env, { FERRETDB_PORT: '0', ...env });
  return startLaunchDatabase((record) => started.push(record), {
    dataDir: join(tempDir, name),
    logFile: join(tempDir, `${name}.log`),
  });
}

describe('make launch', () => {
  it('runs the dev server on the PostgreSQL database DEV_POSTGRESQL_URL names, and prints no password', async () => {
    // A database of this test's own, created (and dropped at the end) by a temporary dev server;
    // launch finds it already there, as on every launch after the first.
    const url = await requirePostgresql();
    const owner = await startFerretDb({
      dataDir: join(tempDir, 'owner'),
      postgresqlUrl: url,
      postgresqlDatabase: 'temporary',
    });
    started.push(owner.record);
    const withPassword = new URL(url);
    withPassword.password = 'not-needed-with-trust-auth';

    const mongodb = await launchDatabase({ DEV_POSTGRESQL_URL: withPassword.toString() }, 'pg');

    expect(mongodb).toMatchObject({
      source: 'ferretdb',
      handler: 'postgresql',
      reason: 'DEV_POSTGRESQL_URL is set',
    });
    expect(databaseOf(mongodb.postgresql!)).toBe(databaseOf(url));
    expect(JSON.stringify(mongodb)).not.toContain('not-needed-with-trust-auth');
    expect(new URL(mongodb.postgresql!).username).toBe('');
    await expect(describeServer(mongodb.uri)).resolves.toMatchObject({
      kind: 'ferretdb',
      handler: 'postgresql',
    });
  }, 90_000);

  it('runs it on SQLite with DEV_POSTGRESQL_URL=off, even when a PostgreSQL answers', async () => {
    const mongodb = await launchDatabase({ DEV_POSTGRESQL_URL: 'off' }, 'sqlite');
    expect(mongodb).toMatchObject({ handler: 'sqlite', reason: 'DEV_POSTGRESQL_URL=off' });
    expect(mongodb.dataDir).toBeDefined();
    expect(mongodb.postgresql).toBeUndefined();
    await expect(describeServer(mongodb.uri)).resolves.toMatchObject({ kind: 'ferretdb', handler: 'sqlite' });
  }, 90_000);

  it('fails, naming the PostgreSQL, when the one DEV_POSTGRESQL_URL names refuses it', async () => {
    const url = new URL(await requirePostgresql());
    url.username = 'no_such_role_for_discounts';
    url.password = 'hunter2-secret';
    const launched = launchDatabase({ DEV_POSTGRESQL_URL: url.toString() }, 'refused');
    await expect(launched).rejects.toThrow(/no_such_role_for_discounts/);
    await expect(launched).rejects.not.toThrow(/hunter2-secret/);
  }, 90_000);

  it('uses MONGODB_URI as it is when set, starting nothing', async () => {
    process.env.MONGODB_URI = 'mongodb://db.example:27017/discounts';
    const before = started.length;
    await expect(startLaunchDatabase((record) => started.push(record))).resolves.toEqual({
      uri: 'mongodb://db.example:27017/discounts',
      source: 'MONGODB_URI',
    });
    expect(started).toHaveLength(before);
  });
});

describe('the test tiers', () => {
  const stack = testStack();

  it('run the dev server on PostgreSQL when one answers, and the server says which storage it has', async () => {
    if (!stack.isFerretDb) {
      process.stderr.write(
        '[dev-server-storage] MONGODB_URI is set: the tiers start no dev server, nothing to check\n',
      );
      expect(await describeServer(stack.mongodbUri)).toMatchObject({ kind: 'mongodb' });
      return;
    }
    const server = await describeServer(stack.mongodbUri);
    expect(server).toEqual({
      kind: 'ferretdb',
      version: expect.stringMatching(/^v1\./) as unknown,
      handler: stack.ferretDbHandler,
    });
    const explicit = process.env.TEST_POSTGRESQL_URL;
    if (!explicit && (await canConnect('127.0.0.1', 5432))) expect(stack.ferretDbHandler).toBe('postgresql');
    if (explicit === 'off') expect(stack.ferretDbHandler).toBe('sqlite');
  });
});
