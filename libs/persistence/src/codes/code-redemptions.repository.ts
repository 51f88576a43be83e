import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { codeOfRedemptionId, newRedemptionId, type RedemptionRefusal } from '@app/contracts';
import { MAJORITY_READ, MAJORITY_WRITE } from '../durability';
import { notExpired } from './code-claims.repository';
import { Code, type CodeRedemption } from './code.schema';
import { redemptionRefusal } from './redeemability';

/** A code as validations and redemptions see it. */
export interface RedeemableCode {
  readonly brandId: string;
  readonly campaignId?: string;
  readonly code: string;
  readonly status: Code['status'];
  readonly claimedBy?: string;
  readonly expiresAt?: Date;
  readonly redemption?: CodeRedemption;
  readonly rolledBack?: readonly CodeRedemption[];
}

export interface RedemptionRequest {
  readonly brandId: string;
  readonly code: string;
  readonly orderId: string;
  /** When given, only this user's code is redeemed. */
  readonly userId?: string;
  readonly amount?: number;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly now: Date;
}

export type RedemptionOutcome =
  | { readonly outcome: 'redeemed'; readonly code: RedeemableCode; readonly redemption: CodeRedemption }
  /** The same order had redeemed the same code: its redemption, unchanged. */
  | { readonly outcome: 'replayed'; readonly code: RedeemableCode; readonly redemption: CodeRedemption }
  | { readonly outcome: 'refused'; readonly reason: RedemptionRefusal; readonly code: RedeemableCode | null };

export type RollbackOutcome =
  | {
      readonly outcome: 'rolled_back' | 'replayed';
      readonly code: RedeemableCode;
      readonly redemption: CodeRedemption;
    }
  | { readonly outcome: 'window_passed'; readonly code: RedeemableCode; readonly redemption: CodeRedemption }
  | { readonly outcome: 'not_found' };

const VIEW_FIELDS = {
  _id: 0,
  brandId: 1,
  campaignId: 1,
  code: 1,
  status: 1,
  claimedBy: 1,
  expiresAt: 1,
  redemption: 1,
  rolledBack: 1,
} as const;

/**
 * The generator's side of a code's life after its claim. Each state change is one
 * findOneAndUpdate on {brandId, code} (the brand's unique index, on the brand's shard) whose filter
 * holds every condition of the change: two redemptions of one code, or a redemption and a rollback,
 * cannot both apply to the state they read. Reads only explain a refusal or answer a replay.
 */
@Injectable()
export class CodeRedemptionsRepository {
  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /** The code as stored (majority-committed), or null. */
  find(brandId: string, code: string): Promise<RedeemableCode | null> {
    return this.codes.collection.findOne<RedeemableCode>(
      { brandId, code },
      { projection: VIEW_FIELDS, readConcern: MAJORITY_READ },
    );
  }

  /** claimed → redeemed, with the redemption, in one write; idempotent by orderId. */
  async redeem(request: RedemptionRequest): Promise<RedemptionOutcome> {
    const { brandId, code, orderId, userId, amount, metadata, now } = request;
    const redemption: CodeRedemption = {
      id: newRedemptionId(code),
      orderId,
      ...(userId !== undefined ? { userId } : {}),
      ...(amount !== undefined ? { amount } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
      redeemedAt: now,
    };
    const updated = await this.codes.collection.findOneAndUpdate(
      {
        brandId,
        code,
        status: 'claimed',
        ...(userId !== undefined ? { claimedBy: userId } : {}),
        $or: notExpired(now),
      },
      { $set: { status: 'redeemed', redemption } },
      { projection: VIEW_FIELDS, returnDocument: 'after', writeConcern: MAJORITY_WRITE },
    );
    if (updated) return { outcome: 'redeemed', code: updated as unknown as RedeemableCode, redemption };
    const current = await this.find(brandId, code);
    if (current?.status === 'redeemed' && current.redemption?.orderId === orderId) {
      return { outcome: 'replayed', code: current, redemption: current.redemption };
    }
    // A refusal is read after the write failed: if the code changed in between (a rollback), the
    // answer may name a state that no longer holds, never one that allowed the write.
    return {
      outcome: 'refused',
      reason: redemptionRefusal(current, { userId, now }) ?? 'already_redeemed',
      code: current,
    };
  }

  /**
   * redeemed → claimed, if the redemption is the code's current one and newer than `window` ms.
   * The redemption moves to the code's rolledBack list, so a repeated rollback is answered the same.
   */
  async rollback(
    brandId: string,
    redemptionId: string,
    now: Date,
    windowMs: number,
  ): Promise<RollbackOutcome> {
    const code = codeOfRedemptionId(redemptionId);
    if (code === null) return { outcome: 'not_found' };
    const current = await this.find(brandId, code);
    const redemption = current?.redemption;
    if (!current || !redemption || redemption.id !== redemptionId) {
      const past = current?.rolledBack?.find((r) => r.id === redemptionId);
      return current && past
        ? { outcome: 'replayed', code: current, redemption: past }
        : { outcome: 'not_found' };
    }
    if (redemption.redeemedAt.getTime() <= now.getTime() - windowMs) {
      return { outcome: 'window_passed', code: current, redemption };
    }
    const rolledBack: CodeRedemption = { ...redemption, rolledBackAt: now };
    const updated = await this.codes
      .findOneAndUpdate(
        { brandId, code, status: 'redeemed', 'redemption.id': redemptionId },
        {
          $set: { status: 'claimed' },
          $unset: { redemption: '' },
          $push: { rolledBack },
          $inc: { rollbacks: 1 },
        },
        { projection: VIEW_FIELDS, new: true, writeConcern: MAJORITY_WRITE },
      )
      .lean<RedeemableCode>()
      .exec();
    if (updated) return { outcome: 'rolled_back', code: updated, redemption: rolledBack };
    // A concurrent rollback of the same redemption won: answer as it did.
    return this.rollback(brandId, redemptionId, now, windowMs);
  }
}
