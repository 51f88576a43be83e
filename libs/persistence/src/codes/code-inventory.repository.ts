import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { duplicateIndexes, duplicatesOnly, type UnorderedInsertResult } from '../mongo-errors';
import { availableCodes, BRAND_CODE_INDEX, BRAND_STATUS_INDEX, Code, type CodeStatus } from './code.schema';

export interface CodeBatch {
  readonly brandId: string;
  /** Absent for the brand's default campaign (storedCampaignId of @app/contracts). */
  readonly campaignId?: string;
  readonly batchId: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  /** The chunk of a generation job (batchId is then the job id). */
  readonly chunk?: number;
  readonly codes: readonly string[];
}

/** Codes made elsewhere (an import): each may carry its own expiry. */
export interface ImportedCodes {
  readonly brandId: string;
  /** As stored: absent for the default campaign. */
  readonly campaignId?: string;
  readonly batchId: string;
  readonly createdAt: Date;
  readonly codes: ReadonlyArray<{ readonly code: string; readonly expiresAt?: Date }>;
}

export interface CodeCounts {
  readonly total: number;
  /** Claimable: not claimed and not expired. */
  readonly available: number;
  readonly claimed: number;
  /**
   * Never claimed and past their expiry: they will never be handed out. Marked `expired` by the
   * retention sweep, or still `available` with a past expiresAt until it comes by.
   */
  readonly expired: number;
}

export interface RedemptionCounts {
  readonly redeemed: number;
  /** Redemptions rolled back: each rollback counts, so a code rolled back twice counts twice. */
  readonly rolledBack: number;
}

/** Never handed out: available, or expired (marked so by the retention sweep). */
const unclaimed = { $in: ['available' as const, 'expired' as const] };

/** The generator's side of the codes collection: it stores codes and counts them. */
@Injectable()
export class CodeInventoryRepository {
  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /**
   * Unordered insert: one duplicate does not stop the rest, and the unique index, not a prior
   * read, decides what a duplicate is. Goes to the driver directly because mongoose's per-document
   * casting would cost more than the insert for batches of plain, already valid documents.
   */
  async insertBatch(batch: CodeBatch): Promise<UnorderedInsertResult> {
    if (batch.codes.length === 0) return { inserted: 0, duplicates: 0 };
    const { brandId, campaignId, batchId, createdAt, expiresAt, chunk } = batch;
    const documents = availableCodes(
      batch.codes.map((code) => ({ brandId, campaignId, code, batchId, createdAt, expiresAt, chunk })),
    );
    try {
      const result = await this.codes.collection.insertMany(documents, { ordered: false });
      return { inserted: result.insertedCount, duplicates: 0 };
    } catch (error) {
      return duplicatesOnly(error, documents.length);
    }
  }

  /**
   * Unordered insert of imported codes; returns the positions (in `codes`) the unique index
   * refused as duplicates, so the caller can say which of its lines they were.
   */
  async insertImported(batch: ImportedCodes): Promise<Set<number>> {
    if (batch.codes.length === 0) return new Set();
    const { brandId, campaignId, batchId, createdAt } = batch;
    const documents = availableCodes(
      batch.codes.map(({ code, expiresAt }) => ({
        brandId,
        campaignId,
        code,
        batchId,
        createdAt,
        expiresAt,
      })),
    );
    try {
      await this.codes.collection.insertMany(documents, { ordered: false });
      return new Set();
    } catch (error) {
      return duplicateIndexes(error);
    }
  }

  /**
   * Which of the brand's codes are claimed, and by whom under which event: what a claim event
   * must agree with before anything is signed for it.
   */
  async findClaims(
    brandId: string,
    codes: readonly string[],
  ): Promise<Map<string, { claimedBy?: string; eventId?: string }>> {
    if (codes.length === 0) return new Map();
    const docs = await this.codes
      .find(
        { brandId, code: { $in: [...codes] }, status: 'claimed' },
        { code: 1, claimedBy: 1, eventId: 1, _id: 0 },
      )
      .lean<Array<Pick<Code, 'code' | 'claimedBy' | 'eventId'>>>()
      .exec();
    return new Map(docs.map(({ code, claimedBy, eventId }) => [code, { claimedBy, eventId }]));
  }

  /**
   * Marks the claims of these codes as counted by the generator, each only once however often
   * its event arrives (at-least-once delivery); returns how many were new.
   */
  async markClaimsNotified(brandId: string, codes: readonly string[], at: Date): Promise<number> {
    if (codes.length === 0) return 0;
    const result = await this.codes
      .updateMany(
        { brandId, code: { $in: [...codes] }, claimNotifiedAt: { $exists: false } },
        { $set: { claimNotifiedAt: at } },
      )
      .exec();
    return result.modifiedCount;
  }

  /** Codes a job's chunk has stored so far. */
  async countChunk(brandId: string, jobId: string, chunk: number): Promise<number> {
    return this.codes.countDocuments({ brandId, batchId: jobId, chunk }).exec();
  }

  /** Codes per chunk of a job, in one pass (the job's final check). */
  async countJobByChunk(brandId: string, jobId: string): Promise<Map<number, number>> {
    const rows = await this.codes
      .aggregate<{ _id: number; n: number }>([
        { $match: { brandId, batchId: jobId } },
        { $group: { _id: '$chunk', n: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((row) => [row._id, row.n]));
  }

  async countJob(brandId: string, jobId: string): Promise<number> {
    return this.codes.countDocuments({ brandId, batchId: jobId }).exec();
  }

  /**
   * Deletes up to `surplus` unclaimed codes of a chunk that has too many (two workers held it at
   * once). Always the ones with the highest _id, so workers trimming the same chunk at the same
   * time pick the same codes instead of trimming twice; claimed codes are never touched
   * (expired ones may go: they were never handed out either).
   */
  async trimChunk(brandId: string, jobId: string, chunk: number, surplus: number): Promise<number> {
    if (surplus <= 0) return 0;
    const victims = await this.codes
      .find({ brandId, batchId: jobId, chunk, status: unclaimed }, { _id: 1 })
      .sort({ _id: -1 })
      .limit(surplus)
      .lean<Array<{ _id: unknown }>>()
      .exec();
    if (victims.length === 0) return 0;
    const result = await this.codes
      .deleteMany({
        brandId,
        batchId: jobId,
        chunk,
        status: unclaimed,
        _id: { $in: victims.map((v) => v._id) },
      })
      .exec();
    return result.deletedCount;
  }

  /**
   * The brand's codes, every status: counted in the {brandId, code} index, no document read (on
   * MongoDB the count is covered by the index). Bounded by BRAND_MAX_CODES.
   */
  async countStored(brandId: string): Promise<number> {
    return this.codes.countDocuments({ brandId }, { hint: BRAND_CODE_INDEX }).exec();
  }

  /**
   * Each figure its own count on an index holding every field it tests, so no code is read:
   * total in {brandId, code}, each status in BRAND_STATUS_INDEX. Statuses are counted one by
   * one rather than derived from the total, so a status added later (as `expired` was) changes
   * none of them. The one count an index cannot answer alone, available codes whose expiry
   * passed before the sweep marked them, has no hint: the planner reads the smaller of the
   * brand's available codes and the sweep's backlog across brands ({status, expiresAt}), and the
   * sweep keeps that backlog short.
   * `campaignId` narrows every figure to one campaign (total then counted in the status index):
   * a stored campaign id, or null for the default campaign, whose codes carry none; without it the
   * whole brand is counted.
   */
  async countByStatus(brandId: string, now = new Date(), campaignId?: string | null): Promise<CodeCounts> {
    const scope = campaignId === undefined ? { brandId } : { brandId, campaignId };
    const withStatus = (status: CodeStatus) =>
      this.codes.countDocuments({ ...scope, status }, { hint: BRAND_STATUS_INDEX }).exec();
    const [total, available, claimed, expired, notYetMarked] = await Promise.all([
      campaignId === undefined
        ? this.countStored(brandId)
        : this.codes.countDocuments(scope, { hint: BRAND_STATUS_INDEX }).exec(),
      withStatus('available'),
      withStatus('claimed'),
      withStatus('expired'),
      this.codes.countDocuments({ ...scope, status: 'available', expiresAt: { $lte: now } }).exec(),
    ]);
    // max: the counts are not one snapshot, a code may be claimed between two of them.
    return {
      total,
      available: Math.max(0, available - notYetMarked),
      claimed,
      expired: expired + notYetMarked,
    };
  }

  /**
   * Redeemed codes (counted in the status index, as countByStatus counts) and rolled-back
   * redemptions, the sum of the codes' `rollbacks`. That sum reads the codes that were handed out
   * (claimed or redeemed: a rollback returns a code to claimed), never the brand's unclaimed ones:
   * an index that served it alone would have to be sparse on `rollbacks` and so not start with
   * brandId, the shard-key prefix. Stats requests are rate-limited (readsPerBrand). `campaignId`
   * as in countByStatus.
   */
  async countRedemptions(brandId: string, campaignId?: string | null): Promise<RedemptionCounts> {
    const scope = campaignId === undefined ? { brandId } : { brandId, campaignId };
    const [redeemed, sums] = await Promise.all([
      this.codes.countDocuments({ ...scope, status: 'redeemed' }, { hint: BRAND_STATUS_INDEX }).exec(),
      this.codes
        .aggregate<{ n: number }>([
          { $match: { ...scope, status: { $in: ['claimed', 'redeemed'] }, rollbacks: { $gt: 0 } } },
          { $group: { _id: null, n: { $sum: '$rollbacks' } } },
        ])
        .hint(BRAND_STATUS_INDEX)
        .exec(),
    ]);
    return { redeemed, rolledBack: sums[0]?.n ?? 0 };
  }

  /**
   * Takes back an import refused part-way (BRAND_MAX_CODES): its codes that nobody claimed in
   * the meantime. Claimed ones stay, they were handed out.
   */
  async deleteUnclaimedOfBatch(brandId: string, batchId: string): Promise<number> {
    const result = await this.codes.deleteMany({ brandId, batchId, status: { $ne: 'claimed' } }).exec();
    return result.deletedCount;
  }
}
