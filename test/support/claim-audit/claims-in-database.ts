import type { mongo } from 'mongoose';
import { CODES_COLLECTION, unclaimedHolder } from '@app/persistence';
import { auditClaims, type ClaimAuditInput, type ClaimAuditReport, type CodeRecord } from './audit-claims';

const RECORD_FIELDS = {
  _id: 0,
  brandId: 1,
  campaignId: 1,
  code: 1,
  status: 1,
  holder: 1,
  claimedBy: 1,
  redemption: 1,
  rollbacks: 1,
} as const;

/** Every code document of the brands, reduced to what the audit reads. */
export async function readCodeRecords(db: mongo.Db, brandIds: readonly string[]): Promise<CodeRecord[]> {
  return db
    .collection<CodeRecord>(CODES_COLLECTION)
    .find({ brandId: { $in: [...brandIds] } }, { projection: RECORD_FIELDS })
    .toArray();
}

/** Claimed (or since redeemed) codes per brand, to be taken before a run and passed as `claimedBefore`. */
export async function readClaimedCounts(
  db: mongo.Db,
  brandIds: readonly string[],
): Promise<Record<string, number>> {
  const counts = Object.fromEntries(brandIds.map((id) => [id, 0]));
  const claimed = db
    .collection<CodeRecord>(CODES_COLLECTION)
    .find(
      { brandId: { $in: [...brandIds] }, status: { $in: ['claimed', 'redeemed'] } },
      { projection: { _id: 0, brandId: 1 } },
    );
  for await (const doc of claimed) counts[doc.brandId] = (counts[doc.brandId] ?? 0) + 1;
  return counts;
}

export type DatabaseAuditInput = Omit<ClaimAuditInput, 'codes' | 'unclaimedHolder' | 'brandIds'> & {
  readonly brandIds: readonly string[];
};

/** Reads the brands' codes and audits them against the answers collected during the run. */
export async function auditClaimsInDatabase(
  db: mongo.Db,
  input: DatabaseAuditInput,
): Promise<ClaimAuditReport> {
  const codes = await readCodeRecords(db, input.brandIds);
  return auditClaims({ ...input, codes, unclaimedHolder });
}
