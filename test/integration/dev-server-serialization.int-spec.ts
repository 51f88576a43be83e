/**
 * The dev server (tools/ferretdb-dev) runs commands one at a time, which is what makes FerretDB's
 * findAndModify (a read, then a separate write) atomic across connections. Several pools race
 * claims against it here: through the serializing front no code goes twice, on SQLite and on
 * PostgreSQL; FerretDB on its own (-direct) hands codes out twice, so the test can tell the two
 * apart. Cursors keep working for every client while others claim.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { mongo } from 'mongoose';
import { REPO_ROOT } from '../../tools/devstack';
import { requirePostgresql, startFerretDb, stopPid } from '../support/stack';

const CODES = 400;
const CLAIMERS = 500;
const POOLS = 4;

type Server = Awaited<ReturnType<typeof startFerretDb>>;
const started: Server[] = [];
const tempDir = mkdtempSync(join(tmpdir(), 'dev-server-serialization-'));

afterAll(async () => {
  for (const server of started) await stopPid(server.record);
  rmSync(tempDir, { recursive: true, force: true });
}, 60_000);

async function devServer(
  name: string,
  opts: { direct?: boolean; postgresqlUrl?: string; postgresqlDatabase?: 'temporary' } = {},
) {
  const server = await startFerretDb({ dataDir: join(tempDir, name), dbName: `serial_${name}`, ...opts });
  started.push(server);
  return server;
}

/** Several clients with normal pools, as several provider processes would have. */
async function withPools<T>(uri: string, body: (dbs: mongo.Db[]) => Promise<T>): Promise<T> {
  const clients = Array.from({ length: POOLS }, () => new mongo.MongoClient(uri, { maxPoolSize: 20 }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    return await body(clients.map((c) => c.db()));
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** CLAIMERS concurrent claims of CODES codes, spread over the pools; what each claimer got. */
async function race(dbs: mongo.Db[], collection: string) {
  const codes = dbs[0]!.collection(collection);
  await codes.insertMany(Array.from({ length: CODES }, (_, i) => ({ code: `C${i}`, status: 'available' })));
  const got = await Promise.all(
    Array.from({ length: CLAIMERS }, (_, i) =>
      dbs[i % dbs.length]!.collection(collection).findOneAndUpdate(
        { status: 'available' },
        { $set: { status: 'claimed', claimedBy: `user-${i}` } },
        { returnDocument: 'after' },
      ),
    ),
  );
  const handedOut = got.filter((doc) => doc !== null).map((doc) => doc.code as string);
  return {
    handedOut: handedOut.length,
    distinct: new Set(handedOut).size,
    claimedInDb: await codes.countDocuments({ status: 'claimed' }),
  };
}

/** A process that opens `cursors` cursors, each on a connection of its own, and is SIGKILLed. */
async function openCursorsAndDie(uri: string, cursors: number): Promise<void> {
  const script = `
    const { MongoClient } = require('mongodb');
    (async () => {
      for (let i = 0; i < ${cursors}; i++) {
        const client = await new MongoClient(process.argv[1], { maxPoolSize: 1 }).connect();
        await client.db().collection('docs').find({}).batchSize(1).next();
      }
      process.stdout.write('open\\n');
    })();`;
  const child = spawn(process.execPath, ['-e', script, uri], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('open') && resolve());
    child.once('exit', (code) =>
      reject(new Error(`the cursor-opening process exited (${code}) before opening them`)),
    );
  });
  child.kill('SIGKILL');
  await exited;
}

const atomic = { handedOut: CODES, distinct: CODES, claimedInDb: CODES };

describe('the dev server serializes commands across clients', () => {
  it(`SQLite through the front: ${CLAIMERS} claims on ${CODES} codes from ${POOLS} pools, no code twice`, async () => {
    const server = await devServer('sqlite');
    await withPools(server.uri, async (dbs) => {
      expect(await race(dbs, 'codes')).toEqual(atomic);
    });
  }, 180_000);

  it('negative control: FerretDB on its own (-direct) hands the same code to several claimers', async () => {
    const server = await devServer('direct', { direct: true });
    // The race needs two commands to overlap; a few rounds make that certain on a busy machine.
    const rounds = await withPools(server.uri, async (dbs) => {
      const results = [];
      for (let round = 1; round <= 5; round++) {
        const result = await race(dbs, `codes_${round}`);
        results.push(result);
        if (result.distinct < result.handedOut) break;
      }
      return results;
    });
    expect(rounds.some((r) => r.distinct < r.handedOut)).toBe(true);
  }, 180_000);

  it('PostgreSQL through the front: no code twice', async () => {
    const server = await devServer('postgresql', {
      postgresqlUrl: await requirePostgresql(),
      postgresqlDatabase: 'temporary',
    });
    await withPools(server.uri, async (dbs) => {
      try {
        expect(await race(dbs, 'codes')).toEqual(atomic);
      } finally {
        await dbs[0]!.dropDatabase();
      }
    });
  }, 180_000);

  it('a cursor over 20,000 documents completes, in batches, while other clients claim', async () => {
    const server = await devServer('cursors');
    await withPools(server.uri, async (dbs) => {
      const exported = dbs[0]!.collection('export');
      for (let i = 0; i < 20; i++) {
        await exported.insertMany(Array.from({ length: 1_000 }, (_, j) => ({ n: i * 1_000 + j })));
      }
      const reading = (async () => {
        const seen = new Set<number>();
        let batches = 0;
        const cursor = dbs[1]!.collection('export').find({}).batchSize(500);
        for await (const doc of cursor) {
          seen.add(doc.n as number);
          if (seen.size % 500 === 0) batches++;
        }
        return { documents: seen.size, batches };
      })();
      const [read, claimed] = await Promise.all([reading, race(dbs.slice(2), 'codes')]);
      expect(read).toEqual({ documents: 20_000, batches: 40 });
      expect(claimed).toEqual(atomic);
    });
  }, 300_000);

  it('cursors left open by clients that died are closed with their connection', async () => {
    const server = await devServer('abandoned');
    const setup = new mongo.MongoClient(server.uri);
    await setup.connect();
    await setup
      .db()
      .collection('docs')
      .insertMany(Array.from({ length: 10 }, (_, n) => ({ n })));
    try {
      // FerretDB closes a cursor when its connection ends, and each open cursor holds one of its
      // 100 SQLite connections: were the cursors of dead clients kept, queries would block for good.
      for (let round = 0; round < 3; round++) await openCursorsAndDie(server.uri, 60);
      const count = setup.db().collection('docs').countDocuments({});
      const blocked = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('queries block: dead clients still hold cursors')), 30_000).unref(),
      );
      expect(await Promise.race([count, blocked])).toBe(10);
    } finally {
      await setup.close();
    }
  }, 180_000);

  it('stops on SIGTERM while clients are still connected', async () => {
    const server = await devServer('shutdown');
    const connected = new mongo.MongoClient(server.uri, { serverSelectionTimeoutMS: 2_000 });
    await connected.connect();
    await connected.db().command({ ping: 1 });
    try {
      expect(await stopPid(server.record, 10_000)).toBe('stopped');
    } finally {
      await connected.close(true);
    }
  }, 60_000);
});
