/**
 * The listings' repository reads against the test stack's MongoDB (the FerretDB dev server unless
 * MONGODB_URI is set): brands in id order by a literal name prefix, a brand's jobs newest first
 * with ties broken by id. The codes listing's filters: persistence.int-spec.ts; the routes:
 * test/e2e/listings.e2e-spec.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { ConfigModule } from '@app/config';
import {
  BrandsRepository,
  COLLECTION_NAMES,
  GenerationJobListingRepository,
  GenerationJobsRepository,
  PersistenceModule,
  type JobRecord,
} from '@app/persistence';
import { testStackConfig } from '../support/config';

const DB_NAME = `int_listings_${randomBytes(4).toString('hex')}`;

let moduleRef: TestingModule;
let connection: Connection;
let brands: BrandsRepository;
let jobs: GenerationJobsRepository;
let jobListing: GenerationJobListingRepository;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testStackConfig('listings-int-spec', DB_NAME)),
      PersistenceModule.forRoot({ defaultPoolSize: 5, collections: COLLECTION_NAMES }),
    ],
  })
    .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
    .compile();
  await moduleRef.init();
  connection = moduleRef.get<Connection>(getConnectionToken());
  brands = moduleRef.get(BrandsRepository);
  jobs = moduleRef.get(GenerationJobsRepository);
  jobListing = moduleRef.get(GenerationJobListingRepository);
});

afterAll(async () => {
  if (connection) await connection.dropDatabase();
  if (moduleRef) await moduleRef.close();
});

describe('BrandsRepository.list', () => {
  /** Brands named `${tag}${suffix}`, ids in the given order; resolves their ids. */
  async function brandsNamed(tag: string, suffixes: readonly string[]): Promise<string[]> {
    const ids = suffixes.map((_, i) => `${tag}-${String(i).padStart(2, '0')}`);
    for (const [i, suffix] of suffixes.entries()) {
      await brands.create({
        id: ids[i]!,
        name: `${tag}${suffix}`,
        apiKeyHash: randomBytes(32).toString('hex'),
      });
    }
    return ids;
  }

  it('pages through brands in id order, each page after the previous one’s last id', async () => {
    const tag = `pg${randomBytes(3).toString('hex')}`;
    const ids = await brandsNamed(tag, [' a', ' b', ' c', ' d', ' e']);
    const seen: string[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await brands.list({ limit: 2, namePrefix: tag, afterId });
      seen.push(...page.map((b) => b.id));
      if (page.length < 2) break;
      afterId = page[page.length - 1]!.id;
    }
    expect(seen).toEqual(ids);
    const [first] = await brands.list({ limit: 1, namePrefix: `${tag} c` });
    // The brand as GET /v1/brands/{brandId} reads it: no key hash in the record.
    expect(first).toEqual(await brands.findById(ids[2]!));
    expect(first).not.toHaveProperty('apiKeyHash');
  });

  it('takes the name prefix literally (regex characters included) and case-sensitively', async () => {
    const tag = `rx${randomBytes(3).toString('hex')}`;
    const [dotStar, , paren, bracket] = await brandsNamed(tag, ['.* Coffee', 'X Coffee', '(Tea)', '[Beans']);
    const named = async (prefix: string) =>
      (await brands.list({ limit: 10, namePrefix: prefix })).map((b) => b.id);
    expect(await named(`${tag}.*`)).toEqual([dotStar]);
    expect(await named(`${tag}(`)).toEqual([paren]);
    expect(await named(`${tag}[`)).toEqual([bracket]);
    expect(await named(`${tag}`)).toHaveLength(4);
    expect(await named(tag.toUpperCase())).toEqual([]);
    expect(await named('^')).toEqual([]);
  });
});

describe('GenerationJobListingRepository.listOf', () => {
  const FORMAT = { length: 8, prefix: '', alphabet: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' };

  async function job(brandId: string, createdAt: Date): Promise<string> {
    const id = randomUUID();
    await jobs.create({
      id,
      brandId,
      requested: 20,
      format: FORMAT,
      spaceKey: `8::${FORMAT.alphabet}`,
      chunkSize: 10,
      chunkCount: 2,
      createdAt,
    });
    return id;
  }

  it('lists newest first, ties of createdAt by id, a page after another missing nothing', async () => {
    const brandId = `jobs-${randomBytes(4).toString('hex')}`;
    const t = new Date('2024-06-01T00:00:00Z');
    const older = await job(brandId, new Date(t.getTime() - 60_000));
    // Three jobs of the same millisecond: only the id tells them apart.
    const same = [await job(brandId, t), await job(brandId, t), await job(brandId, t)];
    await job(`other-${brandId}`, t);
    const expected = [...same.sort().reverse(), older];

    const seen: JobRecord[] = [];
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const page = await jobListing.listOf(brandId, { limit: 2, after });
      seen.push(...page);
      if (page.length < 2) break;
      after = page[page.length - 1]!;
    }
    expect(seen.map((j) => j.id)).toEqual(expected);
  });

  it('filters by status and reads each job’s chunks as findById does', async () => {
    const brandId = `jobs-${randomBytes(4).toString('hex')}`;
    const [done, running, queued] = [
      await job(brandId, new Date('2024-06-01T00:00:00Z')),
      await job(brandId, new Date('2024-06-02T00:00:00Z')),
      await job(brandId, new Date('2024-06-03T00:00:00Z')),
    ];
    for (const id of [done, running]) {
      await jobs.markRunning(id, new Date());
      await jobs.recordChunkDone(id, 0, 10, new Date());
    }
    await jobs.recordChunkDone(done, 1, 10, new Date());
    await jobs.markCompleted(done, new Date());

    const all = await jobListing.listOf(brandId, { limit: 10 });
    expect(all.map((j) => j.id)).toEqual([queued, running, done]);
    for (const listed of all) expect(listed).toEqual(await jobs.findById(listed.id));
    expect(all.map((j) => [j.status, j.generated, j.doneChunks])).toEqual([
      ['queued', 0, []],
      ['running', 10, [0]],
      ['completed', 20, [0, 1]],
    ]);
    expect((await jobListing.listOf(brandId, { limit: 10, status: 'running' })).map((j) => j.id)).toEqual([
      running,
    ]);
    expect(await jobListing.listOf(brandId, { limit: 10, status: 'failed' })).toEqual([]);
  });
});
