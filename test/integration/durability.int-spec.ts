/**
 * The write and read concerns pinned in code reach the server: the repositories run on a real
 * connection (the test stack's MongoDB, the FerretDB dev server unless MONGODB_URI is set) with
 * the driver's command monitoring on, and the specs look at the commands as sent. Also: a
 * MONGODB_URI that weakens them stops the start-up unless explicitly allowed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import type mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { ConfigModule } from '@app/config';
import {
  Brand,
  BrandApiKeysRepository,
  BrandSchema,
  BrandsRepository,
  Code,
  CodeClaimsRepository,
  CodeInventoryRepository,
  CodeSchema,
  GenerationJob,
  GenerationJobChunk,
  GenerationJobChunkSchema,
  GenerationJobSchema,
  GenerationJobsRepository,
  PersistenceModule,
  User,
  UserSchema,
  UsersRepository,
  WeakDurabilityError,
} from '@app/persistence';
import { testStackConfig } from '../support/config';
import { monitoredConnection, type MonitoredConnection, type SentCommand } from '../support/command-monitor';
import { testStack } from '../support/stack';

const DB_NAME = `int_durability_${randomBytes(4).toString('hex')}`;
const MAJORITY_JOURNALED = { w: 'majority', j: true };
const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);

let connection: Connection;
let commandsOf: MonitoredConnection['commandsOf'];
let brands: BrandsRepository;
let apiKeys: BrandApiKeysRepository;
let inventory: CodeInventoryRepository;
let claims: CodeClaimsRepository;
let jobs: GenerationJobsRepository;
let users: UsersRepository;

const writesTo = (commands: readonly SentCommand[], collection: string) =>
  commands.filter((c) => WRITE_COMMANDS.has(c.name) && c.collection === collection);

beforeAll(async () => {
  // The repositories and schemas of @app/persistence on a connection of the spec's own, because
  // command monitoring must be on before the driver opens its connections.
  ({ connection, commandsOf } = await monitoredConnection(DB_NAME));
  const model = <T>(name: string, schema: mongoose.Schema<T>) => connection.model<T>(name, schema);
  await Promise.all(
    [model(Code.name, CodeSchema), model(User.name, UserSchema), model(Brand.name, BrandSchema)].map((m) =>
      m.init(),
    ),
  );
  const codeModel = connection.model<Code>(Code.name);
  brands = new BrandsRepository(connection.model<Brand>(Brand.name));
  apiKeys = new BrandApiKeysRepository(connection.model<Brand>(Brand.name));
  inventory = new CodeInventoryRepository(codeModel);
  claims = new CodeClaimsRepository(codeModel);
  jobs = new GenerationJobsRepository(
    model(GenerationJob.name, GenerationJobSchema),
    model(GenerationJobChunk.name, GenerationJobChunkSchema),
  );
  users = new UsersRepository(connection.model<User>(User.name));
});

afterAll(async () => {
  await connection?.dropDatabase();
  await connection?.close();
});

async function newBrand(): Promise<string> {
  const id = `brand-${randomBytes(5).toString('hex')}`;
  await brands.create({ id, name: id, apiKeyHash: randomBytes(32).toString('hex') });
  return id;
}

async function brandWithCodes(count: number): Promise<string> {
  const brandId = await newBrand();
  const codes = Array.from({ length: count }, (_, i) => `CODE${i}${randomBytes(3).toString('hex')}`);
  await inventory.insertBatch({ brandId, batchId: randomUUID(), createdAt: new Date(), codes });
  return brandId;
}

describe('claims', () => {
  it('a claim is written with a journaled majority', async () => {
    const brandId = await brandWithCodes(3);
    const commands = await commandsOf(() => claims.claimOrFindHeld(brandId, 'claimer', new Date()));
    // One findAndModify, or two when nothing was available above the random slot.
    const writes = writesTo(commands, 'codes');
    expect(writes.length).toBeGreaterThanOrEqual(1);
    for (const write of writes) {
      expect(write).toMatchObject({ name: 'findAndModify', writeConcern: MAJORITY_JOURNALED });
    }
  });

  it('a repeat claim reads the held code with readConcern majority, in the session of its attempt', async () => {
    const brandId = await brandWithCodes(3);
    const first = await claims.claimOrFindHeld(brandId, 'repeater', new Date());
    expect(first.outcome).toBe('claimed');

    let again: unknown;
    const commands = await commandsOf(async () => {
      again = await claims.claimOrFindHeld(brandId, 'repeater', new Date());
    });
    expect(again).toEqual({ outcome: 'held', code: first.outcome === 'claimed' ? first.code : null });
    // One findAndModify, or two when nothing was available above the random slot; then the read.
    const onCodes = commands.filter((c) => c.collection === 'codes');
    const read = onCodes.pop();
    expect(onCodes.length).toBeGreaterThanOrEqual(1);
    for (const attempt of onCodes) {
      expect(attempt).toMatchObject({ name: 'findAndModify', writeConcern: MAJORITY_JOURNALED });
    }
    // afterClusterTime joins the level on a replica set, which reports operation times.
    expect(read?.name).toBe('find');
    expect(read?.readConcern).toMatchObject({ level: 'majority' });
    expect(read!.sessionId).toBeDefined();
    for (const attempt of onCodes) expect(attempt.sessionId).toBe(read!.sessionId);
    // An implicit session may reuse the same id, so the id alone does not prove one session. On a
    // replica set the causal link does: the read waits for the attempt's operation time. FerretDB
    // reports no operation times, so there the id is all there is to check.
    if (!testStack().isFerretDb) expect(read?.readConcern).toHaveProperty('afterClusterTime');
  });

  it('a claim of an exhausted brand reads the held code with readConcern majority too', async () => {
    const brandId = await brandWithCodes(1);
    expect((await claims.claimOrFindHeld(brandId, 'last', new Date())).outcome).toBe('claimed');
    const commands = await commandsOf(() => claims.claimOrFindHeld(brandId, 'last', new Date()));
    const reads = commands.filter((c) => c.name === 'find' && c.collection === 'codes');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.readConcern).toMatchObject({ level: 'majority' });
  });

  it('marking events published (the outbox) is written with a journaled majority', async () => {
    const brandId = await brandWithCodes(2);
    const claim = await claims.claimOrFindHeld(brandId, 'published', new Date());
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    const commands = await commandsOf(() => claims.markEventsPublished([claim.code.id], new Date()));
    const writes = writesTo(commands, 'codes');
    expect(writes.map((c) => c.name)).toEqual(['update']);
    expect(writes[0]!.writeConcern).toStrictEqual(MAJORITY_JOURNALED);
    expect(await claims.findPendingEvents(10, new Date(Date.now() + 60_000))).not.toContainEqual(
      expect.objectContaining({ id: claim.code.id }),
    );
  });
});

describe('generation job records', () => {
  it('every write of a job, from creation to completion, is written with a journaled majority', async () => {
    const brandId = await newBrand();
    const id = randomUUID();
    const commands = await commandsOf(async () => {
      await jobs.create({
        id,
        brandId,
        requested: 10,
        format: { length: 8, prefix: '', alphabet: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' },
        spaceKey: 'default',
        chunkSize: 10,
        chunkCount: 1,
        createdAt: new Date(),
      });
      await jobs.markRunning(id, new Date());
      expect((await jobs.recordChunkDone(id, 0, 10, new Date())).outcome).toBe('recorded');
      expect(await jobs.markCompleted(id, new Date())).toBe(true);
    });
    const writes = [...writesTo(commands, 'generation_jobs'), ...writesTo(commands, 'generation_job_chunks')];
    // create, markRunning, chunk progress, markCompleted; and the chunk's record.
    expect(writes.map((c) => `${String(c.collection)}.${c.name}`).sort()).toEqual([
      'generation_job_chunks.insert',
      'generation_jobs.insert',
      'generation_jobs.update',
      'generation_jobs.update',
      'generation_jobs.update',
    ]);
    for (const write of writes) expect(write.writeConcern).toStrictEqual(MAJORITY_JOURNALED);
  });
});

describe('brand changes', () => {
  it('creating a brand, changing its webhook and rotating its key are written with a journaled majority', async () => {
    const commands = await commandsOf(async () => {
      const brandId = await newBrand();
      const webhook = {
        url: 'https://hooks.example.com/claims',
        secret: 'hook-secret',
        updatedAt: new Date(),
      };
      expect(await brands.update(brandId, { webhook })).toMatchObject({ webhook: { url: webhook.url } });
      const expiresAt = new Date(Date.now() + 60_000);
      await apiKeys.rotateApiKey(brandId, randomBytes(32).toString('hex'), expiresAt);
    });
    const writes = writesTo(commands, 'brands');
    expect(writes.map((c) => c.name)).toEqual(['insert', 'update', 'update']);
    for (const write of writes) expect(write.writeConcern).toStrictEqual(MAJORITY_JOURNALED);
  });
});

describe('users', () => {
  it("a user's credentials are written with a journaled majority", async () => {
    const commands = await commandsOf(() =>
      users.create({ id: `user-${randomBytes(4).toString('hex')}`, secretHash: 'hash' }),
    );
    const writes = writesTo(commands, 'users');
    expect(writes.map((c) => c.name)).toEqual(['insert']);
    expect(writes[0]!.writeConcern).toStrictEqual(MAJORITY_JOURNALED);
  });
});

describe('a MONGODB_URI that weakens the pinned concerns', () => {
  const startWith = async (query: string, allowWeakDurability: boolean) => {
    const config = testStackConfig('durability-int-spec', `${DB_NAME}_startup`);
    const app = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ...config,
          mongo: {
            ...config.mongo,
            uri: `${config.mongo.uri}${config.mongo.uri.includes('?') ? '&' : '?'}${query}`,
            allowWeakDurability,
          },
        }),
        PersistenceModule.forRoot({ defaultPoolSize: 2, collections: ['users'] }),
      ],
    })
      .setLogger(new ConsoleLogger({ logLevels: ['fatal'] }))
      .compile();
    const db = app.get<Connection>(getConnectionToken());
    await db.dropDatabase();
    await app.close();
  };

  it('stops the start-up, naming the option and the override', async () => {
    const failure = startWith('w=1&appName=weak', false);
    await expect(failure).rejects.toBeInstanceOf(WeakDurabilityError);
    await expect(failure).rejects.toThrow(/MONGODB_URI sets w=1\b.*MONGODB_ALLOW_WEAK_DURABILITY=true/s);
  });

  it('starts when MONGODB_ALLOW_WEAK_DURABILITY allows it', async () => {
    await expect(startWith('w=1&journal=false', true)).resolves.toBeUndefined();
  });

  it('starts with options that weaken nothing', async () => {
    await expect(startWith('w=majority&journal=true', false)).resolves.toBeUndefined();
  });
});
