/**
 * Test data written straight into the provider's database, in the shape the generator stores
 * (CodeInventoryRepository.insertBatch): going through the generator would only add its own
 * cost to a benchmark of the claim path.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import { hashUserSecret, userSecretPepper } from '@app/auth';
import { availableCodes, CODES_COLLECTION, type NewCode } from '@app/persistence';
import { BENCH_USER_SECRET_PEPPER } from './bench-stack';

const INSERT_BATCH = 1_000;

export interface SeededRun {
  readonly brandIds: readonly string[];
  readonly expectedTotals: Readonly<Record<string, number>>;
}

/**
 * Empties the codes and brands collections, then stores `codesPerBrand` available codes for each
 * brand. Every run starts from the same collection size, which matters on FerretDB: there, the
 * cost of a claim grows with the number of documents in the collection.
 */
export async function seedCodes(
  db: mongo.Db,
  brandIds: readonly string[],
  codesPerBrand: number,
): Promise<SeededRun> {
  const codes = db.collection(CODES_COLLECTION);
  const brands = db.collection<{ _id: string }>('brands');
  await Promise.all([codes.deleteMany({}), brands.deleteMany({})]);
  const now = new Date();
  // The brand documents matter only on the slow path (404 vs 409), but a real brand has one.
  await brands.insertMany(
    brandIds.map((id) => ({
      _id: id,
      name: id,
      apiKeyHash: randomBytes(32).toString('hex'),
      codeSpaces: {},
      claimedNotified: 0,
      createdAt: now,
      updatedAt: now,
    })),
  );
  const batchId = randomUUID();
  let pending: NewCode[] = [];
  for (const brandId of brandIds) {
    for (let i = 0; i < codesPerBrand; i++) {
      const code = `BENCH${i.toString(36).toUpperCase().padStart(6, '0')}`;
      pending.push({ brandId, code, batchId, createdAt: now });
      if (pending.length === INSERT_BATCH) {
        await codes.insertMany(availableCodes(pending), { ordered: false });
        pending = [];
      }
    }
  }
  if (pending.length > 0) await codes.insertMany(availableCodes(pending), { ordered: false });
  return { brandIds, expectedTotals: Object.fromEntries(brandIds.map((id) => [id, codesPerBrand])) };
}

/** A user secret's stored form, as POST /v1/users stores it. */
export const userSecretHash = (secret: string): string =>
  hashUserSecret(secret, userSecretPepper(BENCH_USER_SECRET_PEPPER));

/**
 * Users of the predecessor's route. They share one stored hash (computed once, by the caller):
 * each user's first check still costs what a check costs, which is what the legacy runs measure.
 */
export async function seedUsers(db: mongo.Db, userIds: readonly string[], secretHash: string): Promise<void> {
  const users = db.collection<{ _id: string }>('users');
  await users.deleteMany({});
  const now = new Date();
  for (let i = 0; i < userIds.length; i += INSERT_BATCH) {
    await users.insertMany(
      userIds
        .slice(i, i + INSERT_BATCH)
        .map((id) => ({ _id: id, secretHash, createdAt: now, updatedAt: now })),
    );
  }
}

/** Claimed codes whose code.claimed event the provider has not marked as published yet. */
export function countUnpublishedClaims(db: mongo.Db): Promise<number> {
  return db
    .collection(CODES_COLLECTION)
    .countDocuments({ status: 'claimed', eventPublishedAt: { $exists: false } });
}
