/**
 * IdempotencyRecordsRepository against the test stack's MongoDB (the FerretDB dev server unless
 * MONGODB_URI is set): who takes a key, what a later request finds, stale locks, expiry and the sweep.
 */
import { randomBytes } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { ConfigModule } from '@app/config';
import { IdempotencyRecordsRepository, PersistenceModule, type IdempotencyClaim } from '@app/persistence';
import { testStackConfig } from '../support/config';

const DB_NAME = `int_idempotency_${randomBytes(4).toString('hex')}`;
const LOCK_MS = 60_000;
const TTL_MS = 24 * 3_600_000;
const ANSWER = { status: 201, sealed: 'c2VhbGVk' };

let moduleRef: TestingModule;
let connection: Connection;
let records: IdempotencyRecordsRepository;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testStackConfig('idempotency-int-spec', DB_NAME)),
      PersistenceModule.forRoot({ defaultPoolSize: 5, collections: ['idempotencyKeys'] }),
    ],
  })
    .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
    .compile();
  await moduleRef.init();
  connection = moduleRef.get<Connection>(getConnectionToken());
  records = moduleRef.get(IdempotencyRecordsRepository);
});

afterAll(async () => {
  if (connection) await connection.dropDatabase();
  if (moduleRef) await moduleRef.close();
});

const claim = (fields: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
  id: randomBytes(16).toString('hex'),
  fingerprint: 'fp-1',
  now: new Date(),
  lockMs: LOCK_MS,
  ttlMs: TTL_MS,
  ...fields,
});

describe('IdempotencyRecordsRepository', () => {
  it('one of many concurrent requests takes the key; the others find it in flight', async () => {
    const c = claim();
    const results = await Promise.all(Array.from({ length: 8 }, () => records.begin(c)));
    expect(results.filter((r) => r.kind === 'started')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in_flight')).toHaveLength(7);
  });

  it('a completed key gives its answer and fingerprint back', async () => {
    const c = claim();
    const begun = await records.begin(c);
    if (begun.kind !== 'started') throw new Error(`expected started, got ${begun.kind}`);
    expect(await records.complete(c.id, begun.lockToken, ANSWER)).toBe(true);
    expect(await records.begin({ ...c, fingerprint: 'fp-2' })).toEqual({
      kind: 'answered',
      fingerprint: 'fp-1',
      answer: ANSWER,
    });
  });

  it('a released key is free again', async () => {
    const c = claim();
    const begun = await records.begin(c);
    if (begun.kind !== 'started') throw new Error(`expected started, got ${begun.kind}`);
    await records.release(c.id, begun.lockToken);
    expect((await records.begin(c)).kind).toBe('started');
  });

  it('a stale lock is taken over by the same request, and its late owner can no longer store', async () => {
    const c = claim();
    const first = await records.begin(c);
    if (first.kind !== 'started') throw new Error(`expected started, got ${first.kind}`);
    const later = { ...c, now: new Date(c.now.getTime() + LOCK_MS + 1) };
    // Another request under the key while the lock is stale is still refused.
    expect(await records.begin({ ...later, fingerprint: 'fp-2' })).toEqual({
      kind: 'in_flight',
      fingerprint: 'fp-1',
    });
    const second = await records.begin(later);
    if (second.kind !== 'started') throw new Error(`expected started, got ${second.kind}`);
    expect(await records.complete(c.id, first.lockToken, ANSWER)).toBe(false);
    expect(await records.complete(c.id, second.lockToken, ANSWER)).toBe(true);
  });

  it('an expired record is gone for its key before the sweep, and the sweep deletes only expired ones', async () => {
    const old = claim({ now: new Date(Date.now() - TTL_MS - 1_000) });
    const begun = await records.begin(old);
    if (begun.kind !== 'started') throw new Error(`expected started, got ${begun.kind}`);
    await records.complete(old.id, begun.lockToken, ANSWER);
    expect((await records.begin({ ...old, now: new Date(), fingerprint: 'fp-new' })).kind).toBe('started');

    const expired = claim({ now: new Date(Date.now() - TTL_MS - 1_000) });
    await records.begin(expired);
    const fresh = claim();
    await records.begin(fresh);
    expect(await records.deleteExpired(new Date(), 1_000)).toBe(1);
    expect((await records.begin(expired)).kind).toBe('started');
    expect((await records.begin(fresh)).kind).toBe('in_flight');
  });
});
