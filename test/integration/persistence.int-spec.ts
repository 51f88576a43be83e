/**
 * The repositories of @app/persistence against the test stack's MongoDB (the FerretDB dev server
 * unless MONGODB_URI is set), in a database of this file's own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Connection, Model } from 'mongoose';
import { ConfigModule, type CommonConfig } from '@app/config';
import { DomainError, newRedemptionId } from '@app/contracts';
import {
  COLLECTION_NAMES,
  WebhookDeliveriesRepository,
  Brand,
  BrandApiKeysRepository,
  BrandsRepository,
  Code,
  CodeClaimsRepository,
  CodeInventoryRepository,
  CodeListingRepository,
  CodePoolRepository,
  availableCodes,
  PersistenceModule,
  SLOT_RANGE,
  User,
  UsersRepository,
  type ClaimAttempt,
} from '@app/persistence';
import { testStackConfig } from '../support/config';
import { mongodbUriFor } from '../support/stack';

const DB_NAME = `int_persistence_${randomBytes(4).toString('hex')}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function testConfig(): CommonConfig {
  return testStackConfig('persistence-int-spec', DB_NAME);
}

/** A fresh id per test, so tests sharing the database never see each other's brands or users. */
const uniqueId = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;
const apiKeyHash = () => randomBytes(32).toString('hex');

async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, the promise resolved');
}

let moduleRef: TestingModule;
let connection: Connection;
let codeModel: Model<Code>;
let brands: BrandsRepository;
let apiKeys: BrandApiKeysRepository;
let inventory: CodeInventoryRepository;
let listing: CodeListingRepository;
let claims: CodeClaimsRepository;
let pool: CodePoolRepository;
let users: UsersRepository;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testConfig()),
      PersistenceModule.forRoot({ defaultPoolSize: 5, collections: COLLECTION_NAMES }),
    ],
  })
    .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
    .compile();
  connection = moduleRef.get<Connection>(getConnectionToken());
  codeModel = moduleRef.get<Model<Code>>(getModelToken(Code.name));
  // Index builds run in the background after connecting; the uniqueness tests need them done.
  await Promise.all(
    [Brand.name, Code.name, User.name].map((name) =>
      moduleRef.get<Model<unknown>>(getModelToken(name)).init(),
    ),
  );
  brands = moduleRef.get(BrandsRepository);
  apiKeys = moduleRef.get(BrandApiKeysRepository);
  inventory = moduleRef.get(CodeInventoryRepository);
  listing = moduleRef.get(CodeListingRepository);
  claims = moduleRef.get(CodeClaimsRepository);
  pool = moduleRef.get(CodePoolRepository);
  users = moduleRef.get(UsersRepository);
});

afterAll(async () => {
  if (connection) await connection.dropDatabase();
  if (moduleRef) await moduleRef.close();
});

async function newBrand(prefix = 'brand'): Promise<string> {
  const id = uniqueId(prefix);
  await brands.create({ id, name: `Brand ${id}`, apiKeyHash: apiKeyHash() });
  return id;
}

/** `count` distinct codes, unique across the whole file. */
const someCodes = (count: number) =>
  Array.from({ length: count }, () =>
    randomBytes(6)
      .toString('base64url')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, 'Q'),
  );

async function brandWithCodes(count: number): Promise<{ brandId: string; codes: string[] }> {
  const brandId = await newBrand();
  const codes = someCodes(count);
  const result = await inventory.insertBatch({
    brandId,
    batchId: randomUUID(),
    createdAt: new Date(),
    codes,
  });
  expect(result).toEqual({ inserted: count, duplicates: 0 });
  return { brandId, codes };
}

describe('PersistenceModule', () => {
  it('opens the default pool, on the dev server too (it serializes commands itself)', () => {
    expect(connection.getClient().options.maxPoolSize).toBe(5);
  });

  it('creates the codes indexes: unique {brandId, code}, unique {brandId, holder}, {brandId, status, campaignId, slot}, {brandId, _id}', async () => {
    const indexes = await codeModel.collection.indexes();
    const find = (key: Record<string, number>) =>
      indexes.find((index) => JSON.stringify(index.key) === JSON.stringify(key));
    expect(find({ brandId: 1, code: 1 })).toMatchObject({ unique: true });
    expect(find({ brandId: 1, holder: 1 })).toMatchObject({ unique: true });
    expect(find({ brandId: 1, status: 1, campaignId: 1, slot: 1 })).toBeDefined();
    // Listing and export page in _id order within a brand.
    expect(find({ brandId: 1, _id: 1 })).toBeDefined();
    // The outbox scan's index; sparse on MongoDB (the dev server accepts the option and ignores it).
    expect(find({ eventPending: 1, claimedAt: 1 })).toBeDefined();
  });

  it('creates the unique apiKeyHash index on brands', async () => {
    const indexes = await connection.collection('brands').indexes();
    expect(indexes.find((index) => JSON.stringify(index.key) === '{"apiKeyHash":1}')).toMatchObject({
      unique: true,
    });
  });
});

describe('BrandsRepository', () => {
  it('creates a brand and reads it back', async () => {
    const id = uniqueId('create');
    const before = Date.now();
    const created = await brands.create({ id, name: 'Acme', apiKeyHash: apiKeyHash() });
    expect(created).toEqual({ id, name: 'Acme', claimedNotified: 0, createdAt: expect.any(Date) as unknown });
    expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(await brands.findById(id)).toEqual(created);
    expect(await brands.exists(id)).toBe(true);
  });

  it('refuses a second brand with the same id: DomainError brand_exists, the first unchanged', async () => {
    const id = uniqueId('dup');
    const first = await brands.create({ id, name: 'First', apiKeyHash: apiKeyHash() });
    const error = await domainErrorOf(brands.create({ id, name: 'Second', apiKeyHash: apiKeyHash() }));
    expect(error.code).toBe('brand_exists');
    expect(error.message).toContain(id);
    expect(await brands.findById(id)).toEqual(first);
  });

  it('answers null / false for an unknown brand', async () => {
    expect(await brands.findById('no-such-brand')).toBeNull();
    expect(await brands.exists('no-such-brand')).toBe(false);
  });

  it('ensure() creates once and is idempotent afterwards', async () => {
    const id = uniqueId('ensure');
    const first = await brands.ensure({ id, name: 'E', apiKeyHash: apiKeyHash() });
    expect(first.created).toBe(true);
    const second = await brands.ensure({ id, name: 'Other name', apiKeyHash: apiKeyHash() });
    expect(second).toEqual({ brand: first.brand, created: false });
    expect(await connection.collection('brands').countDocuments({ _id: id as never })).toBe(1);
  });

  it('two (and five) concurrent ensure() calls for one id all resolve, with exactly one brand created', async () => {
    for (const callers of [2, 5]) {
      const id = uniqueId('race');
      const results = await Promise.all(
        Array.from({ length: callers }, (_, i) =>
          brands.ensure({ id, name: `Caller ${i}`, apiKeyHash: apiKeyHash() }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.find((r) => r.created)!.brand;
      for (const result of results) expect(result.brand).toEqual(winner);
      expect(await connection.collection('brands').countDocuments({ _id: id as never })).toBe(1);
    }
  });

  it('finds a brand by the hash of its API key', async () => {
    const id = uniqueId('key');
    const hash = apiKeyHash();
    await brands.create({ id, name: 'K', apiKeyHash: hash });
    expect(await apiKeys.findByApiKeyHash(hash, new Date())).toEqual({ brandId: id, previous: false });
    expect(await apiKeys.findByApiKeyHash(apiKeyHash(), new Date())).toBeNull();
  });

  describe('API key rotation', () => {
    it('replaces the key; the old one matches as "previous" until it expires, then not at all', async () => {
      const id = uniqueId('rot');
      const [first, second] = [apiKeyHash(), apiKeyHash()];
      await brands.create({ id, name: 'R', apiKeyHash: first });
      const expiresAt = new Date(Date.now() + 60_000);
      expect(await apiKeys.rotateApiKey(id, second, expiresAt)).toEqual({
        previousApiKeyHash: first,
        previousKeyExpiresAt: expiresAt,
      });

      expect(await apiKeys.findByApiKeyHash(second, new Date())).toEqual({ brandId: id, previous: false });
      expect(await apiKeys.findByApiKeyHash(first, new Date())).toEqual({ brandId: id, previous: true });
      expect(await apiKeys.findByApiKeyHash(first, new Date(expiresAt.getTime() - 1))).toEqual({
        brandId: id,
        previous: true,
      });
      expect(await apiKeys.findByApiKeyHash(first, expiresAt)).toBeNull();
      // Stored as hashes only, like the current key.
      const doc = await connection.collection('brands').findOne({ _id: id as never });
      expect(doc).toMatchObject({
        apiKeyHash: second,
        previousApiKeyHash: first,
        previousApiKeyExpiresAt: expiresAt,
      });
    });

    it('keeps only one previous key: a second rotation ends the first key at once', async () => {
      const id = uniqueId('rot2');
      const [k0, k1, k2] = [apiKeyHash(), apiKeyHash(), apiKeyHash()];
      await brands.create({ id, name: 'R2', apiKeyHash: k0 });
      const later = new Date(Date.now() + 60_000);
      await apiKeys.rotateApiKey(id, k1, later);
      await apiKeys.rotateApiKey(id, k2, later);
      expect(await apiKeys.findByApiKeyHash(k0, new Date())).toBeNull();
      expect(await apiKeys.findByApiKeyHash(k1, new Date())).toEqual({ brandId: id, previous: true });
      expect(await apiKeys.findByApiKeyHash(k2, new Date())).toEqual({ brandId: id, previous: false });
    });

    it('lets concurrent rotations each replace a distinct key, never losing the newest', async () => {
      const id = uniqueId('rot3');
      await brands.create({ id, name: 'R3', apiKeyHash: apiKeyHash() });
      const hashes = Array.from({ length: 4 }, () => apiKeyHash());
      await Promise.all(hashes.map((h) => apiKeys.rotateApiKey(id, h, new Date(Date.now() + 60_000))));
      const doc = await connection.collection('brands').findOne({ _id: id as never });
      // The last writer's key is current and the one it replaced is previous: both are ours.
      expect(hashes).toContain(doc?.apiKeyHash);
      expect(hashes).toContain(doc?.previousApiKeyHash);
      expect(doc?.apiKeyHash).not.toBe(doc?.previousApiKeyHash);
    });

    it('refuses to rotate the key of a brand that does not exist', async () => {
      const error = await domainErrorOf(apiKeys.rotateApiKey(uniqueId('none'), apiKeyHash(), new Date()));
      expect(error.code).toBe('brand_not_found');
    });
  });

  describe('code space reservations', () => {
    it('reserves up to the limit and refuses past it, reporting what is in use', async () => {
      const brandId = await newBrand('space');
      expect(await brands.reserveCodeSpace(brandId, 'fmt1', 60, 100)).toEqual({ reserved: true, inUse: 0 });
      expect(await brands.reserveCodeSpace(brandId, 'fmt1', 40, 100)).toEqual({ reserved: true, inUse: 60 });
      expect(await brands.reserveCodeSpace(brandId, 'fmt1', 1, 100)).toEqual({ reserved: false, inUse: 100 });
      // Another code space of the same brand has its own counter.
      expect(await brands.reserveCodeSpace(brandId, 'fmt2', 100, 100)).toEqual({ reserved: true, inUse: 0 });
      expect(await brands.reserveCodeSpace(brandId, 'fmt2', 1, 100)).toEqual({ reserved: false, inUse: 100 });
    });

    it('refuses a reservation that would overshoot, leaving the counter as it was', async () => {
      const brandId = await newBrand('space');
      await brands.reserveCodeSpace(brandId, 'fmt', 90, 100);
      expect(await brands.reserveCodeSpace(brandId, 'fmt', 11, 100)).toEqual({ reserved: false, inUse: 90 });
      expect(await brands.reserveCodeSpace(brandId, 'fmt', 10, 100)).toEqual({ reserved: true, inUse: 90 });
    });

    it('refuses a first reservation larger than the limit', async () => {
      const brandId = await newBrand('space');
      expect(await brands.reserveCodeSpace(brandId, 'fresh', 101, 100)).toEqual({
        reserved: false,
        inUse: 0,
      });
    });

    it('answers brand_not_found for an unknown brand', async () => {
      const error = await domainErrorOf(brands.reserveCodeSpace('no-such-brand', 'fmt', 1, 100));
      expect(error.code).toBe('brand_not_found');
    });

    it('is atomic: 20 concurrent reservations of 10 against a limit of 100 → exactly 10 granted', async () => {
      const brandId = await newBrand('space');
      const results = await Promise.all(
        Array.from({ length: 20 }, () => brands.reserveCodeSpace(brandId, 'fmt', 10, 100)),
      );
      expect(results.filter((r) => r.reserved)).toHaveLength(10);
      expect(new Set(results.filter((r) => r.reserved).map((r) => r.inUse))).toEqual(
        new Set([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]),
      );
      expect(await brands.reserveCodeSpace(brandId, 'fmt', 1, 100)).toEqual({ reserved: false, inUse: 100 });
    });

    it('releaseCodeSpace gives room back; zero or negative counts change nothing', async () => {
      const brandId = await newBrand('space');
      await brands.reserveCodeSpace(brandId, 'fmt', 100, 100);
      await brands.releaseCodeSpace(brandId, 'fmt', 30);
      expect(await brands.reserveCodeSpace(brandId, 'fmt', 31, 100)).toEqual({ reserved: false, inUse: 70 });
      await brands.releaseCodeSpace(brandId, 'fmt', 0);
      await brands.releaseCodeSpace(brandId, 'fmt', -5);
      expect(await brands.reserveCodeSpace(brandId, 'fmt', 30, 100)).toEqual({ reserved: true, inUse: 70 });
    });
  });

  it('addClaimsNotified adds, ignores zero, and ignores unknown brands', async () => {
    const brandId = await newBrand('notified');
    await brands.addClaimsNotified(brandId, 2);
    await Promise.all([brands.addClaimsNotified(brandId, 1), brands.addClaimsNotified(brandId, 3)]);
    await brands.addClaimsNotified(brandId, 0);
    expect((await brands.findById(brandId))?.claimedNotified).toBe(6);
    await expect(brands.addClaimsNotified('no-such-brand', 1)).resolves.toBeUndefined();
    expect(await brands.exists('no-such-brand')).toBe(false);
  });
});

describe('BrandsRepository, settings', () => {
  const webhook = {
    url: 'https://hooks.example.com/x',
    secret: 's'.repeat(30),
    updatedAt: new Date('2024-06-01T00:00:00Z'),
  };

  it('creates a brand with settings and reads them back', async () => {
    const id = uniqueId('settings');
    const created = await brands.create({
      id,
      name: 'Set',
      apiKeyHash: apiKeyHash(),
      webhook,
      poolLowThreshold: 10,
      autoReplenish: { enabled: true, count: 50 },
    });
    expect(created).toEqual({
      id,
      name: 'Set',
      claimedNotified: 0,
      createdAt: expect.any(Date) as unknown,
      webhook,
      poolLowThreshold: 10,
      autoReplenish: { enabled: true, count: 50 },
    });
    expect(await brands.findById(id)).toEqual(created);
  });

  it('update sets what is given, removes what is null, leaves the rest', async () => {
    const id = await newBrand('update');
    expect(await brands.update(id, { name: 'Renamed', webhook, poolLowThreshold: 5 })).toMatchObject({
      name: 'Renamed',
      webhook,
      poolLowThreshold: 5,
    });
    const after = await brands.update(id, { webhook: null, autoReplenish: { enabled: false, count: 1 } });
    expect(after).toMatchObject({
      name: 'Renamed',
      poolLowThreshold: 5,
      autoReplenish: { enabled: false, count: 1 },
    });
    expect(after).not.toHaveProperty('webhook');
    expect(await brands.update(id, {})).toEqual(after);
    expect(await brands.update('no-such-brand', { name: 'x' })).toBeNull();
  });

  it('startReplenishment gives one turn per cooldown, atomically', async () => {
    const id = uniqueId('replenish');
    await brands.create({
      id,
      name: 'R',
      apiKeyHash: apiKeyHash(),
      autoReplenish: { enabled: true, count: 7 },
    });
    const now = new Date();
    const turns = await Promise.all(
      Array.from({ length: 5 }, () => brands.startReplenishment(id, now, 10_000)),
    );
    expect(turns.filter((t) => t !== null)).toEqual([{ autoReplenish: { enabled: true, count: 7 } }]);
    expect(await brands.startReplenishment(id, new Date(now.getTime() + 9_999), 10_000)).toBeNull();
    expect(await brands.startReplenishment(id, new Date(now.getTime() + 10_000), 10_000)).not.toBeNull();
    expect(await brands.startReplenishment('no-such-brand', now, 0)).toBeNull();
  });

  it('markPoolLowHandled is true once per event id', async () => {
    const id = await newBrand('pool-low');
    const [first, second] = [randomUUID(), randomUUID()];
    expect(await brands.isPoolLowHandled(id, first)).toBe(false);
    expect(await brands.markPoolLowHandled(id, first)).toBe(true);
    expect(await brands.isPoolLowHandled(id, first)).toBe(true);
    expect(await brands.markPoolLowHandled(id, first)).toBe(false);
    expect(await brands.markPoolLowHandled(id, second)).toBe(true);
    expect(await brands.markPoolLowHandled('no-such-brand', first)).toBe(false);
  });
});

describe('CodeInventoryRepository', () => {
  it('markClaimsNotified counts each claimed code once, however often its event arrives', async () => {
    const { brandId, codes } = await brandWithCodes(3);
    const at = new Date();
    expect(await inventory.markClaimsNotified(brandId, codes.slice(0, 2), at)).toBe(2);
    expect(await inventory.markClaimsNotified(brandId, codes, at)).toBe(1);
    expect(await inventory.markClaimsNotified(brandId, codes, at)).toBe(0);
    expect(await inventory.markClaimsNotified('no-such-brand', codes, at)).toBe(0);
    expect(await inventory.markClaimsNotified(brandId, [], at)).toBe(0);
  });

  it('inserts a batch of available codes with their batch, slot and holder marker', async () => {
    const brandId = await newBrand('inv');
    const batchId = randomUUID();
    const createdAt = new Date('2024-05-01T00:00:00Z');
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    expect(
      await inventory.insertBatch({ brandId, batchId, createdAt, expiresAt, codes: ['AAA', 'BBB', 'CCC'] }),
    ).toEqual({
      inserted: 3,
      duplicates: 0,
    });
    const docs = await codeModel.find({ brandId }).sort({ code: 1 }).lean().exec();
    expect(docs.map((d) => d.code)).toEqual(['AAA', 'BBB', 'CCC']);
    for (const doc of docs) {
      expect(doc).toMatchObject({
        brandId,
        status: 'available',
        holder: `#${doc.code}`,
        batchId,
        createdAt,
        expiresAt,
      });
      expect(Number.isInteger(doc.slot) && doc.slot >= 0 && doc.slot < SLOT_RANGE).toBe(true);
      expect(doc.claimedBy).toBeUndefined();
      expect(doc.eventId).toBeUndefined();
    }
  });

  it('leaves expiresAt out when not given, and inserts nothing for an empty batch', async () => {
    const brandId = await newBrand('inv');
    await inventory.insertBatch({ brandId, batchId: 'b1', createdAt: new Date(), codes: ['X1'] });
    const doc = await codeModel.findOne({ brandId }).lean().exec();
    expect(doc).not.toHaveProperty('expiresAt');
    expect(await inventory.insertBatch({ brandId, batchId: 'b2', createdAt: new Date(), codes: [] })).toEqual(
      {
        inserted: 0,
        duplicates: 0,
      },
    );
    expect((await inventory.countByStatus(brandId)).total).toBe(1);
  });

  it('counts codes that already exist as duplicates and inserts the rest', async () => {
    const brandId = await newBrand('inv');
    await inventory.insertBatch({
      brandId,
      batchId: 'first',
      createdAt: new Date(),
      codes: ['A1', 'B1', 'C1'],
    });
    const result = await inventory.insertBatch({
      brandId,
      batchId: 'second',
      createdAt: new Date(),
      codes: ['C1', 'D1', 'A1', 'E1'],
    });
    expect(result).toEqual({ inserted: 2, duplicates: 2 });
    const docs = await codeModel.find({ brandId }).lean().exec();
    expect(docs.map((d) => d.code).sort()).toEqual(['A1', 'B1', 'C1', 'D1', 'E1']);
    // The existing codes were not touched by the second batch.
    expect(docs.find((d) => d.code === 'A1')?.batchId).toBe('first');
    expect(docs.find((d) => d.code === 'D1')?.batchId).toBe('second');
  });

  it('counts a duplicate inside one batch, and a batch of nothing but duplicates', async () => {
    const brandId = await newBrand('inv');
    expect(
      await inventory.insertBatch({
        brandId,
        batchId: 'b',
        createdAt: new Date(),
        codes: ['F1', 'F1', 'G1'],
      }),
    ).toEqual({
      inserted: 2,
      duplicates: 1,
    });
    expect(
      await inventory.insertBatch({ brandId, batchId: 'c', createdAt: new Date(), codes: ['F1', 'G1'] }),
    ).toEqual({
      inserted: 0,
      duplicates: 2,
    });
    expect((await inventory.countByStatus(brandId)).total).toBe(2);
  });

  it('insertImported names the positions the unique index refused, each code with its own expiry', async () => {
    const brandId = await newBrand('inv');
    const createdAt = new Date();
    const expiresAt = new Date('2099-01-01T00:00:00Z');
    await inventory.insertBatch({ brandId, batchId: 'earlier', createdAt, codes: ['OLD1'] });
    const refused = await inventory.insertImported({
      brandId,
      batchId: 'import-1',
      createdAt,
      codes: [
        { code: 'NEW1', expiresAt },
        { code: 'OLD1' },
        { code: 'NEW2' },
        { code: 'NEW1' },
        { code: 'NEW3' },
      ],
    });
    // Positions 1 (stored before) and 3 (earlier in the same batch): what the report calls duplicates.
    expect([...refused].sort((a, b) => a - b)).toEqual([1, 3]);
    const docs = await codeModel.find({ brandId, batchId: 'import-1' }).lean().exec();
    expect(docs.map((d) => d.code).sort()).toEqual(['NEW1', 'NEW2', 'NEW3']);
    expect(docs.find((d) => d.code === 'NEW1')?.expiresAt).toEqual(expiresAt);
    expect(docs.find((d) => d.code === 'NEW2')?.expiresAt).toBeUndefined();
    expect(await inventory.insertImported({ brandId, batchId: 'import-2', createdAt, codes: [] })).toEqual(
      new Set(),
    );
  });

  it('keeps codes unique per brand: the same code string for two brands is fine', async () => {
    const [first, second] = [await newBrand('inv'), await newBrand('inv')];
    expect(
      await inventory.insertBatch({ brandId: first, batchId: 'b', createdAt: new Date(), codes: ['SHARED'] }),
    ).toEqual({
      inserted: 1,
      duplicates: 0,
    });
    expect(
      await inventory.insertBatch({
        brandId: second,
        batchId: 'b',
        createdAt: new Date(),
        codes: ['SHARED'],
      }),
    ).toEqual({
      inserted: 1,
      duplicates: 0,
    });
  });

  it('countByStatus counts per brand and status; an unknown brand has zeros', async () => {
    const { brandId } = await brandWithCodes(5);
    await claims.claimAvailable(brandId, 'counter-1', new Date());
    await claims.claimAvailable(brandId, 'counter-2', new Date());
    expect(await inventory.countByStatus(brandId)).toEqual({
      total: 5,
      available: 3,
      claimed: 2,
      expired: 0,
    });
    expect(await inventory.countByStatus('no-such-brand')).toEqual({
      total: 0,
      available: 0,
      claimed: 0,
      expired: 0,
    });
  });

  it('countByStatus counts unclaimed codes past their expiry as expired, not available', async () => {
    const brandId = await newBrand('exp');
    const createdAt = new Date('2024-01-01T00:00:00Z');
    const soon = new Date(Date.now() + 60_000);
    await inventory.insertBatch({
      brandId,
      batchId: 'old',
      createdAt,
      expiresAt: createdAt,
      codes: someCodes(3),
    });
    await inventory.insertBatch({
      brandId,
      batchId: 'live',
      createdAt,
      expiresAt: soon,
      codes: someCodes(2),
    });
    await inventory.insertBatch({ brandId, batchId: 'forever', createdAt, codes: someCodes(1) });
    expect(await inventory.countByStatus(brandId)).toEqual({
      total: 6,
      available: 3,
      claimed: 0,
      expired: 3,
    });
    // Once the second batch's expiry passes, it moves to expired too.
    expect(await inventory.countByStatus(brandId, new Date(soon.getTime() + 1))).toEqual({
      total: 6,
      available: 1,
      claimed: 0,
      expired: 5,
    });
  });

  it('lists and streams by campaign, batch and status (redeemed too), each row with its redemption', async () => {
    const brandId = await newBrand('list');
    const [plain, summer] = [randomUUID(), randomUUID()];
    const createdAt = new Date();
    const [a1, a2, a3, b1, b2] = someCodes(5) as [string, string, string, string, string];
    await codeModel.collection.insertMany([
      ...availableCodes([a1, a2, a3].map((code) => ({ brandId, code, batchId: plain, createdAt }))),
      ...availableCodes(
        [b1, b2].map((code) => ({ brandId, campaignId: 'summer', code, batchId: summer, createdAt })),
      ),
    ]);
    for (const [code, user] of [
      [a1, 'lister-1'],
      [a2, 'lister-2'],
    ] as const) {
      await codeModel.updateOne(
        { brandId, code },
        { $set: { status: 'claimed', holder: user, claimedBy: user, claimedAt: createdAt } },
      );
    }
    // Redeemed as CodeRedemptionsRepository.redeem stores it, written here directly: on the FerretDB
    // dev server its findAndModify with a projection ("fields") is refused.
    const redemption = { id: newRedemptionId(a2), orderId: 'order-7', redeemedAt: new Date() };
    await codeModel.updateOne({ brandId, code: a2 }, { $set: { status: 'redeemed', redemption } });

    const codesOf = async (filter: Parameters<CodeListingRepository['page']>[1]) =>
      (await listing.page(brandId, filter, 10)).map((row) => row.code).sort();
    expect(await codesOf({ status: 'all', campaignId: 'default' })).toEqual([a1, a2, a3].sort());
    expect(await codesOf({ status: 'all', campaignId: 'summer' })).toEqual([b1, b2].sort());
    expect(await codesOf({ status: 'all', batchId: summer })).toEqual([b1, b2].sort());
    expect(await codesOf({ status: 'available', batchId: plain })).toEqual([a3]);
    expect(await codesOf({ status: 'claimed' })).toEqual([a1]);
    expect(await codesOf({ status: 'redeemed', campaignId: 'summer' })).toEqual([]);
    // A status alone, as before filters.
    expect(await codesOf('all')).toHaveLength(5);

    const [row] = await listing.page(brandId, { status: 'redeemed' }, 10);
    expect(row).toMatchObject({
      code: a2,
      status: 'redeemed',
      claimedBy: 'lister-2',
      campaignId: 'default',
      orderId: 'order-7',
      redemptionId: redemption.id,
      redeemedAt: redemption.redeemedAt,
    });
    const streamed: Array<[string, string, string | null]> = [];
    for await (const r of listing.streamRows(brandId, { status: 'all', batchId: summer })) {
      streamed.push([r.code, r.campaignId, r.orderId]);
    }
    expect(streamed.sort()).toEqual(
      [
        [b1, 'summer', null],
        [b2, 'summer', null],
      ].sort(),
    );

    // A rollback takes the redemption away (as CodeRedemptionsRepository.rollback writes it): the
    // code is claimed again, its row without a redemption.
    await codeModel.updateOne(
      { brandId, code: a2 },
      { $set: { status: 'claimed' }, $unset: { redemption: '' }, $push: { rolledBack: redemption } },
    );
    expect(await codesOf({ status: 'redeemed' })).toEqual([]);
    const claimedRows = await listing.page(brandId, { status: 'claimed' }, 10);
    expect(claimedRows.find((r) => r.code === a2)).toMatchObject({
      redeemedAt: null,
      orderId: null,
      redemptionId: null,
    });
  });
});

describe('CodeClaimsRepository', () => {
  it('never hands out an expired code: none_available when only expired ones remain', async () => {
    const brandId = await newBrand('exp');
    const past = new Date(Date.now() - 1_000);
    const [expiredCode, liveCode] = [someCodes(1)[0]!, someCodes(1)[0]!];
    await inventory.insertBatch({
      brandId,
      batchId: 'e',
      createdAt: past,
      expiresAt: past,
      codes: [expiredCode],
    });
    const later = new Date(Date.now() + 3_600_000);
    await inventory.insertBatch({
      brandId,
      batchId: 'l',
      createdAt: past,
      expiresAt: later,
      codes: [liveCode],
    });
    expect(await pool.countAvailable(brandId)).toBe(1);
    const first = await claims.claimAvailable(brandId, 'exp-user-1', new Date());
    expect(first.outcome === 'claimed' && first.code.code).toBe(liveCode);
    expect(await claims.claimAvailable(brandId, 'exp-user-2', new Date())).toEqual({
      outcome: 'none_available',
    });
    expect(await pool.countAvailable(brandId)).toBe(0);
    const stored = await codeModel.findOne({ brandId, code: expiredCode }).lean().exec();
    expect(stored?.status).toBe('available');
  });

  it('claims an available code: status, holder, claimedBy, claimedAt and eventId are set', async () => {
    const { brandId, codes } = await brandWithCodes(3);
    const now = new Date('2024-06-01T10:00:00.000Z');
    const attempt = await claims.claimAvailable(brandId, 'user-1', now);
    if (attempt.outcome !== 'claimed') throw new Error(`expected a claim, got ${attempt.outcome}`);
    const claim = attempt.code;
    expect(claim).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown,
      brandId,
      code: expect.any(String) as unknown,
      userId: 'user-1',
      claimedAt: now,
      eventId: expect.stringMatching(UUID) as unknown,
    });
    expect(codes).toContain(claim.code);
    const doc = await codeModel.findById(claim.id).lean().exec();
    expect(doc).toMatchObject({
      brandId,
      code: claim.code,
      status: 'claimed',
      holder: 'user-1',
      claimedBy: 'user-1',
      claimedAt: now,
      eventId: claim.eventId,
      // The same write puts the claim's event in the outbox.
      eventPending: true,
    });
    expect(doc).not.toHaveProperty('eventPublishedAt');
    expect(doc).not.toHaveProperty('traceContext');
  });

  it('stores the trace context given with a claim, to continue the trace when the event is published later', async () => {
    const { brandId } = await brandWithCodes(1);
    const traceContext = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const attempt = await claims.claimAvailable(brandId, 'traced', new Date(), traceContext);
    if (attempt.outcome !== 'claimed') throw new Error('expected a claim');
    expect(attempt.code.traceContext).toEqual(traceContext);
    expect(await claims.findHeldBy(brandId, 'traced')).toEqual(attempt.code);
  });

  it('gives a user who already holds a code "already_holding" and changes nothing', async () => {
    const { brandId } = await brandWithCodes(3);
    const first = await claims.claimAvailable(brandId, 'user-1', new Date());
    expect(first.outcome).toBe('claimed');
    const snapshot = await codeModel.find({ brandId }).sort({ code: 1 }).lean().exec();

    expect(await claims.claimAvailable(brandId, 'user-1', new Date())).toEqual({
      outcome: 'already_holding',
    });
    expect(await codeModel.find({ brandId }).sort({ code: 1 }).lean().exec()).toEqual(snapshot);
    expect(await inventory.countByStatus(brandId)).toEqual({
      total: 3,
      available: 2,
      claimed: 1,
      expired: 0,
    });
  });

  it('a user may hold one code of each of several brands', async () => {
    const [a, b] = [await brandWithCodes(2), await brandWithCodes(2)];
    expect((await claims.claimAvailable(a.brandId, 'multi', new Date())).outcome).toBe('claimed');
    expect((await claims.claimAvailable(b.brandId, 'multi', new Date())).outcome).toBe('claimed');
  });

  it('answers "none_available" when every code is claimed, and for an unknown brand', async () => {
    const { brandId } = await brandWithCodes(2);
    expect((await claims.claimAvailable(brandId, 'u1', new Date())).outcome).toBe('claimed');
    expect((await claims.claimAvailable(brandId, 'u2', new Date())).outcome).toBe('claimed');
    expect(await claims.claimAvailable(brandId, 'u3', new Date())).toEqual({ outcome: 'none_available' });
    expect(await claims.claimAvailable('no-such-brand', 'u3', new Date())).toEqual({
      outcome: 'none_available',
    });
    // A holder asking again once nothing is left is told "none_available" too: the caller
    // (ClaimCodeService) then finds the held code with findHeldBy.
    expect((await claims.claimAvailable(brandId, 'u1', new Date())).outcome).toBe('none_available');
    expect(await inventory.countByStatus(brandId)).toEqual({
      total: 2,
      available: 0,
      claimed: 2,
      expired: 0,
    });
  });

  it('findHeldBy returns the held code, or null', async () => {
    const { brandId } = await brandWithCodes(2);
    const attempt = await claims.claimAvailable(brandId, 'holder-1', new Date());
    if (attempt.outcome !== 'claimed') throw new Error('expected a claim');
    expect(await claims.findHeldBy(brandId, 'holder-1')).toEqual(attempt.code);
    expect(await claims.findHeldBy(brandId, 'someone-else')).toBeNull();
    expect(await claims.findHeldBy('no-such-brand', 'holder-1')).toBeNull();
  });

  it('markEventsPublished takes those claims (only) out of the outbox', async () => {
    const { brandId } = await brandWithCodes(3);
    const a = await claims.claimAvailable(brandId, 'pub-1', new Date());
    const b = await claims.claimAvailable(brandId, 'pub-2', new Date());
    const c = await claims.claimAvailable(brandId, 'pub-3', new Date());
    if (a.outcome !== 'claimed' || b.outcome !== 'claimed' || c.outcome !== 'claimed')
      throw new Error('expected claims');
    const at = new Date('2024-06-01T10:00:01.000Z');
    await claims.markEventsPublished([a.code.id, c.code.id], at);
    const docA = await codeModel.findById(a.code.id).lean().exec();
    expect(docA?.eventPublishedAt).toEqual(at);
    expect(docA).not.toHaveProperty('eventPending');
    expect(await codeModel.findById(b.code.id).lean().exec()).toMatchObject({ eventPending: true });
    expect(await codeModel.findById(b.code.id).lean().exec()).not.toHaveProperty('eventPublishedAt');
    // Marking again (a duplicate publish) keeps the first time; nothing to mark is fine too.
    await claims.markEventsPublished([a.code.id], new Date('2030-01-01T00:00:00Z'));
    expect((await codeModel.findById(a.code.id).lean().exec())?.eventPublishedAt).toEqual(at);
    await expect(claims.markEventsPublished([], new Date())).resolves.toBeUndefined();
  });

  it('findPendingEvents lists unpublished claims oldest first, older than the cut-off, at most `limit`', async () => {
    const { brandId } = await brandWithCodes(4);
    const base = Date.parse('2001-02-03T04:05:06.000Z');
    const made: string[] = [];
    for (const [i, user] of ['old-1', 'old-2', 'old-3', 'old-4'].entries()) {
      const attempt = await claims.claimAvailable(brandId, user, new Date(base + i * 1_000));
      if (attempt.outcome !== 'claimed') throw new Error('expected a claim');
      made.push(attempt.code.eventId);
    }
    await claims.markEventsPublished([(await claims.findHeldBy(brandId, 'old-2'))!.id], new Date());
    // Other test files and tests add pending claims of their own, all claimed "now": the 2001 cut-off excludes them.
    const pending = await claims.findPendingEvents(10, new Date(base + 2_500));
    expect(pending.map((p) => p.eventId)).toEqual([made[0], made[2]]);
    expect(await claims.findPendingEvents(1, new Date(base + 60_000))).toHaveLength(1);
    expect(pending[0]).toMatchObject({ brandId, userId: 'old-1', claimedAt: new Date(base) });
  });

  it('countAvailable counts the brand’s available codes only', async () => {
    const { brandId } = await brandWithCodes(5);
    await claims.claimAvailable(brandId, 'count-1', new Date());
    expect(await pool.countAvailable(brandId)).toBe(4);
    expect(await pool.countAvailable('no-such-brand')).toBe(0);
  });

  it('100 concurrent claims by 100 users over 60 codes: exactly 60 claimed, all distinct, 40 none_available', async () => {
    const { brandId, codes } = await brandWithCodes(60);
    const userIds = Array.from({ length: 100 }, (_, i) => `racer-${i}`);
    const attempts: ClaimAttempt[] = await Promise.all(
      userIds.map((userId) => claims.claimAvailable(brandId, userId, new Date())),
    );
    const claimed = attempts.flatMap((a) => (a.outcome === 'claimed' ? [a.code] : []));
    expect(claimed).toHaveLength(60);
    expect(attempts.filter((a) => a.outcome === 'none_available')).toHaveLength(40);
    expect(attempts.filter((a) => a.outcome === 'already_holding')).toHaveLength(0);
    expect(new Set(claimed.map((c) => c.code)).size).toBe(60);
    expect(new Set(claimed.map((c) => c.code))).toEqual(new Set(codes));
    expect(new Set(claimed.map((c) => c.userId)).size).toBe(60);
    expect(new Set(claimed.map((c) => c.eventId)).size).toBe(60);
    expect(await inventory.countByStatus(brandId)).toEqual({
      total: 60,
      available: 0,
      claimed: 60,
      expired: 0,
    });
    // The database agrees with the answers: each claimed code is held by the user it was given to.
    const docs = await codeModel.find({ brandId }).lean().exec();
    const holderOf = new Map(docs.map((d) => [d.code, d.holder]));
    for (const claim of claimed) expect(holderOf.get(claim.code)).toBe(claim.userId);
  });

  it('20 concurrent claims by one user: exactly one claimed, the rest already_holding', async () => {
    const { brandId } = await brandWithCodes(30);
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () => claims.claimAvailable(brandId, 'eager-user', new Date())),
    );
    expect(attempts.filter((a) => a.outcome === 'claimed')).toHaveLength(1);
    expect(attempts.filter((a) => a.outcome === 'already_holding')).toHaveLength(19);
    expect(await inventory.countByStatus(brandId)).toEqual({
      total: 30,
      available: 29,
      claimed: 1,
      expired: 0,
    });
    expect(await codeModel.countDocuments({ brandId, holder: 'eager-user' })).toBe(1);
  });
});

describe('UsersRepository', () => {
  it('creates a user and finds its credentials', async () => {
    const id = uniqueId('user');
    const created = await users.create({ id, secretHash: 'scrypt$32768$8$1$salt$key' });
    expect(created).toEqual({ id, createdAt: expect.any(Date) as unknown });
    expect(await users.findCredentials(id)).toEqual({ id, secretHash: 'scrypt$32768$8$1$salt$key' });
  });

  it('refuses a duplicate id with DomainError user_exists, keeping the first secret', async () => {
    const id = uniqueId('user');
    await users.create({ id, secretHash: 'first' });
    const error = await domainErrorOf(users.create({ id, secretHash: 'second' }));
    expect(error.code).toBe('user_exists');
    expect(error.message).toContain(id);
    expect(await users.findCredentials(id)).toEqual({ id, secretHash: 'first' });
  });

  it('answers null for an unknown user', async () => {
    expect(await users.findCredentials('no-such-user')).toBeNull();
  });
});

/**
 * Last on purpose: it grows the codes collection, and the FerretDB dev server answers a claim's
 * findAndModify by scanning the whole collection (about 7 ms per claim with a few hundred codes,
 * about 140 ms with 2,400), which would make the concurrency tests above take 20 s instead of 1 s.
 */
describe('CodeInventoryRepository, large batch', () => {
  it('inserts a batch of 2,000 with some duplicates', async () => {
    const brandId = await newBrand('inv');
    const codes = someCodes(2_000);
    await inventory.insertBatch({ brandId, batchId: 'a', createdAt: new Date(), codes: codes.slice(0, 150) });
    expect(await inventory.insertBatch({ brandId, batchId: 'b', createdAt: new Date(), codes })).toEqual({
      inserted: 1_850,
      duplicates: 150,
    });
    expect(await inventory.countByStatus(brandId)).toEqual({
      total: 2_000,
      available: 2_000,
      claimed: 0,
      expired: 0,
    });
  });
});

describe('a fresh database, used as soon as the module is up', () => {
  it('enforces code uniqueness from the first insert', async () => {
    const config = testConfig();
    const fresh = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ...config,
          mongo: { ...config.mongo, uri: mongodbUriFor(`${DB_NAME}_boot`) },
        }),
        PersistenceModule.forRoot({ defaultPoolSize: 5, collections: COLLECTION_NAMES }),
      ],
    })
      .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
      .compile();
    await fresh.init();
    const freshConnection = fresh.get<Connection>(getConnectionToken());
    try {
      const inserted = await fresh
        .get(CodeInventoryRepository)
        .insertBatch({ brandId: 'boot', batchId: 'b', createdAt: new Date(), codes: ['DUP', 'DUP'] });
      const indexBuild = await fresh
        .get<Model<Code>>(getModelToken(Code.name))
        .init()
        .then(
          () => 'built',
          (error: unknown) => `failed: ${String(error)}`,
        );
      expect({ inserted, indexBuild }).toEqual({
        inserted: { inserted: 1, duplicates: 1 },
        indexBuild: 'built',
      });
    } finally {
      await freshConnection.dropDatabase();
      await fresh.close();
    }
  });
});

describe('an app registers only the collections it uses', () => {
  it('creates those collections and their indexes, and provides only their repositories', async () => {
    const config = testConfig();
    const app = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ...config,
          mongo: { ...config.mongo, uri: mongodbUriFor(`${DB_NAME}_users`) },
        }),
        PersistenceModule.forRoot({ defaultPoolSize: 5, collections: ['webhookDeliveries'] }),
      ],
    })
      .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
      .compile();
    await app.init();
    const db = app.get<Connection>(getConnectionToken());
    try {
      const collections = (await db.listCollections()).map((c) => c.name).sort();
      expect(collections).toEqual(['webhook_attempts', 'webhook_deliveries']);
      for (const name of collections) expect((await db.collection(name).indexes()).length).toBeGreaterThan(1);
      expect(app.get(WebhookDeliveriesRepository)).toBeInstanceOf(WebhookDeliveriesRepository);
      expect(() => app.get(BrandsRepository)).toThrow();
    } finally {
      await db.dropDatabase();
      await app.close();
    }
  });
});
