/**
 * The claim audit against the test stack's MongoDB: a clean concurrent run through the real claim
 * repository passes it, and violations planted in the database with the raw driver are found.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Connection, mongo } from 'mongoose';
import {
  auditClaimsInDatabase,
  readClaimedCounts,
  readCodeRecords,
  type ClaimAnswer,
  type ViolationKind,
} from '../support/claim-audit';
import { ConfigModule, type CommonConfig } from '@app/config';
import {
  COLLECTION_NAMES,
  CODES_COLLECTION,
  CodeClaimsRepository,
  CodeInventoryRepository,
  PersistenceModule,
} from '@app/persistence';
import { testStackConfig } from '../support/config';

const DB_NAME = `int_claim_audit_${randomBytes(4).toString('hex')}`;

function testConfig(): CommonConfig {
  return testStackConfig('claim-audit-int-spec', DB_NAME);
}

let moduleRef: TestingModule;
let connection: Connection;
let db: mongo.Db;
let claims: CodeClaimsRepository;
let inventory: CodeInventoryRepository;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testConfig()),
      PersistenceModule.forRoot({ defaultPoolSize: 5, collections: COLLECTION_NAMES }),
    ],
  })
    .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
    .compile();
  await moduleRef.init();
  connection = moduleRef.get<Connection>(getConnectionToken());
  db = connection.db!;
  claims = moduleRef.get(CodeClaimsRepository);
  inventory = moduleRef.get(CodeInventoryRepository);
});

afterAll(async () => {
  if (connection) await connection.dropDatabase();
  if (moduleRef) await moduleRef.close();
});

/** A brand with `count` codes, and `claimers` users racing for them through the repository. */
async function raceForCodes(count: number, claimers: number) {
  const brandId = `audit-${randomBytes(4).toString('hex')}`;
  const codes = Array.from({ length: count }, (_, i) => `AUD${i}X${randomBytes(2).toString('hex')}`);
  await inventory.insertBatch({ brandId, batchId: randomUUID(), createdAt: new Date(), codes });
  const claimedBefore = await readClaimedCounts(db, [brandId]);
  const users = Array.from({ length: claimers }, (_, i) => `racer-${i}`);
  const attempts = await Promise.all(users.map((u) => claims.claimAvailable(brandId, u, new Date())));
  const answers: ClaimAnswer[] = attempts.map((attempt, i) => {
    const userId = users[i]!;
    switch (attempt.outcome) {
      case 'claimed':
        return { brandId, userId, outcome: 'created', code: attempt.code.code };
      case 'none_available':
        return { brandId, userId, outcome: 'exhausted' };
      case 'already_holding':
        return { brandId, userId, outcome: 'failed' };
    }
  });
  return { brandId, codes, answers, claimedBefore };
}

const kindsOf = (report: { violations: readonly { kind: ViolationKind }[] }) =>
  [...new Set(report.violations.map((v) => v.kind))].sort();

describe('claim audit on a real database', () => {
  it('passes 40 concurrent claims for 30 codes made through the claim repository', async () => {
    const { brandId, answers, claimedBefore } = await raceForCodes(30, 40);
    expect(claimedBefore).toEqual({ [brandId]: 0 });
    const report = await auditClaimsInDatabase(db, {
      brandIds: [brandId],
      answers,
      claimedBefore,
      expectedTotals: { [brandId]: 30 },
    });
    expect(report.violations).toEqual([]);
    expect(report.totals).toEqual({
      total: 30,
      available: 0,
      claimed: 30,
      expired: 0,
      redeemed: 0,
      newClaims: 30,
      answers: { created: 30, held: 0, exhausted: 10, failed: 0 },
    });
  });

  it('reads only the brands asked for, with the fields the audit needs', async () => {
    const { brandId, codes } = await raceForCodes(3, 1);
    const records = await readCodeRecords(db, [brandId]);
    expect(records.map((r) => r.code).sort()).toEqual([...codes].sort());
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(
        record.status === 'claimed'
          ? ['brandId', 'claimedBy', 'code', 'holder', 'status']
          : ['brandId', 'code', 'holder', 'status'],
      );
    }
    expect(await readClaimedCounts(db, [brandId, 'no-such-brand'])).toEqual({
      [brandId]: 1,
      'no-such-brand': 0,
    });
  });

  it('finds a second code given to a user behind the unique index’s back', async () => {
    const { brandId, answers, claimedBefore } = await raceForCodes(5, 2);
    const winner = answers.find((a) => a.outcome === 'created')!;
    // A buggy writer that sets claimedBy without holder would slip past the unique index.
    await db
      .collection(CODES_COLLECTION)
      .updateOne({ brandId, status: 'available' }, { $set: { status: 'claimed', claimedBy: winner.userId } });
    const report = await auditClaimsInDatabase(db, { brandIds: [brandId], answers, claimedBefore });
    expect(kindsOf(report)).toEqual(['inconsistent_document', 'new_claims_mismatch', 'user_holds_two_codes']);
  });

  it('finds answers the database contradicts, and a 409 while codes were left', async () => {
    const { brandId, answers, claimedBefore } = await raceForCodes(5, 2);
    const [first, second] = answers as [ClaimAnswer, ClaimAnswer];
    const forged: ClaimAnswer[] = [
      first,
      // The second user is told the first user's code, and a stranger is told a code that does not exist.
      { ...second, code: first.code },
      { brandId, userId: 'stranger', outcome: 'held', code: 'NOSUCHCODE' },
      { brandId, userId: 'late', outcome: 'exhausted' },
    ];
    const report = await auditClaimsInDatabase(db, { brandIds: [brandId], answers: forged, claimedBefore });
    expect(kindsOf(report)).toEqual([
      'answer_disagrees_with_database',
      'claimed_code_missing',
      'code_given_to_two_users',
      'exhausted_while_available',
    ]);
  });

  it('finds a brand whose codes went missing', async () => {
    const { brandId, answers, claimedBefore } = await raceForCodes(4, 1);
    await db.collection(CODES_COLLECTION).deleteOne({ brandId, status: 'available' });
    const report = await auditClaimsInDatabase(db, {
      brandIds: [brandId],
      answers,
      claimedBefore,
      expectedTotals: { [brandId]: 4 },
    });
    expect(report.violations).toEqual([
      { kind: 'counts_do_not_add_up', brandId, message: 'expected 4 codes, found 3' },
    ]);
  });
});
