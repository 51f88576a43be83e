import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../mongo-errors';
import { IdempotencyRecord, type StoredAnswer } from './idempotency-record.schema';

export interface IdempotencyClaim {
  readonly id: string;
  readonly fingerprint: string;
  readonly now: Date;
  /** How long the first request may run before another may take the key over. */
  readonly lockMs: number;
  /** How long the key and its answer are kept. */
  readonly ttlMs: number;
}

/** What begin() found: the key is ours now, or an earlier request has (or is producing) the answer. */
export type IdempotencyBegin =
  | { readonly kind: 'started'; readonly lockToken: string }
  | { readonly kind: 'answered'; readonly fingerprint: string; readonly answer: StoredAnswer }
  | { readonly kind: 'in_flight'; readonly fingerprint: string };

type RecordView = Pick<IdempotencyRecord, 'fingerprint' | 'answer' | 'lockedUntil' | 'expiresAt'>;

/** Enough for a record deleted or taken over between two reads; more means heavy contention. */
const BEGIN_ATTEMPTS = 3;

/**
 * Idempotency records: one insert takes a key (the unique _id decides between concurrent
 * requests, as everywhere in this project, never a read first), one update stores the answer.
 * Without transactions (FerretDB v1), a lock token keeps a late finisher from overwriting the
 * request that took over its stale lock.
 */
@Injectable()
export class IdempotencyRecordsRepository {
  constructor(@InjectModel(IdempotencyRecord.name) private readonly records: Model<IdempotencyRecord>) {}

  async begin(claim: IdempotencyClaim): Promise<IdempotencyBegin> {
    const lockToken = randomUUID();
    const lockedUntil = new Date(claim.now.getTime() + claim.lockMs);
    const expiresAt = new Date(claim.now.getTime() + claim.ttlMs);
    for (let attempt = 0; attempt < BEGIN_ATTEMPTS; attempt++) {
      try {
        await this.records.create({
          _id: claim.id,
          fingerprint: claim.fingerprint,
          lockToken,
          lockedUntil,
          expiresAt,
        });
        return { kind: 'started', lockToken };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await this.records.findById(claim.id).lean<RecordView>().exec();
      if (!existing) continue; // released or swept meanwhile: try the insert again
      if (existing.expiresAt <= claim.now) {
        // Past its 24 h but not swept yet: gone, as far as this key is concerned.
        await this.records.deleteOne({ _id: claim.id, expiresAt: { $lte: claim.now } }).exec();
        continue;
      }
      if (existing.answer) {
        return { kind: 'answered', fingerprint: existing.fingerprint, answer: existing.answer };
      }
      const stale = existing.lockedUntil !== undefined && existing.lockedUntil <= claim.now;
      if (!stale || existing.fingerprint !== claim.fingerprint) {
        return { kind: 'in_flight', fingerprint: existing.fingerprint };
      }
      const taken = await this.records
        .updateOne(
          { _id: claim.id, answer: { $exists: false }, lockedUntil: { $lte: claim.now } },
          { $set: { lockToken, lockedUntil, expiresAt } },
        )
        .exec();
      if (taken.matchedCount === 1) return { kind: 'started', lockToken };
    }
    return { kind: 'in_flight', fingerprint: claim.fingerprint };
  }

  /**
   * Stores the answer, and the request's fingerprint when it was only known at the end (a
   * streamed body). False when the lock was lost (taken over after it went stale): not stored.
   */
  async complete(
    id: string,
    lockToken: string,
    answer: StoredAnswer,
    fingerprint?: string,
  ): Promise<boolean> {
    const result = await this.records
      .updateOne(
        { _id: id, lockToken },
        {
          $set: { answer, ...(fingerprint ? { fingerprint } : {}) },
          $unset: { lockToken: '', lockedUntil: '' },
        },
      )
      .exec();
    return result.matchedCount === 1;
  }

  /**
   * Deletes up to `limit` records expired by `now`; the number deleted. Every replica sweeps:
   * the delete repeats the selection's condition, so a record is deleted once.
   */
  async deleteExpired(now: Date, limit: number): Promise<number> {
    const filter = { expiresAt: { $lte: now } };
    const docs = await this.records
      .find(filter, { _id: 1 })
      .limit(limit)
      .lean<Array<{ _id: string }>>()
      .exec();
    if (docs.length === 0) return 0;
    const result = await this.records
      .deleteMany({ _id: { $in: docs.map((doc) => doc._id) }, ...filter })
      .exec();
    return result.deletedCount;
  }

  /** Frees the key for a retry (the request failed in a way worth retrying). */
  async release(id: string, lockToken: string): Promise<void> {
    await this.records.deleteOne({ _id: id, lockToken }).exec();
  }
}
