import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { codeOfRedemptionId, newRedemptionId, type RedemptionRefusal } from '@app/contracts';
import { MAJORITY_READ, MAJORITY_WRITE } from '../durability';
import { PendingEventListeners } from '../pending-event-listeners';
import { notExpired } from './claim-commands';
import {
  Code,
  type CodeLifecycleEvent,
  type CodeLifecycleEventType,
  type CodeRedemption,
} from './code.schema';
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
 * The fields that put a transition's event in the code's lifecycle outbox, for the $set of the
 * transition's own update: the event is stored if and only if the change is.
 */
function lifecycleEventFields(type: CodeLifecycleEventType, redemption: CodeRedemption) {
  const event: CodeLifecycleEvent = { type, redemption };
  return { lifecycleEventsPending: true as const, [`lifecycleEvents.${randomUUID()}`]: event };
}

/**
 * The generator's side of a code's life after its claim. Each state change is one
 * findOneAndUpdate on {brandId, code} (the brand's unique index, on the brand's shard) whose filter
 * holds every condition of the change: two redemptions of one code, or a redemption and a rollback,
 * cannot both apply to the state they read. Reads only explain a refusal or answer a replay.
 * `redeem` goes straight to the driver, as claims do: it is on every order's path and its update
 * is already in stored shape (mongoose would send the very same command, its casting's CPU on top).
 * `rollback`, rare, goes through mongoose for its `$push`: the driver's untyped collection
 * (Collection<Document>) accepts no field in $push at compile time, mongoose's update type does.
 */
@Injectable()
export class CodeRedemptionsRepository {
  private readonly pendingListeners = new PendingEventListeners();

  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /** Calls `listener` after each write that stored a lifecycle event; returns the unsubscribe. */
  onLifecycleEventPending(listener: () => void): () => void {
    return this.pendingListeners.add(listener);
  }

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
      { $set: { status: 'redeemed', redemption, ...lifecycleEventFields('code.redeemed', redemption) } },
      // No projection: FerretDB's findAndModify does not implement "fields" (as for claims).
      { returnDocument: 'after', writeConcern: MAJORITY_WRITE },
    );
    if (updated) {
      this.pendingListeners.notify();
      return { outcome: 'redeemed', code: updated as unknown as RedeemableCode, redemption };
    }
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
    // A rollback that lost to a concurrent one of the same redemption reads again and answers
    // as that one did: a second write is never needed, so a second round is the last.
    for (let round = 0; ; round += 1) {
      const current = await this.find(brandId, code);
      const redemption = current?.status === 'redeemed' ? current.redemption : undefined;
      if (!current || redemption?.id !== redemptionId || round === 2) {
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
            $set: { status: 'claimed', ...lifecycleEventFields('code.redemption_rolled_back', rolledBack) },
            $unset: { redemption: '' },
            $push: { rolledBack },
            $inc: { rollbacks: 1 },
          },
          // No projection: FerretDB's findAndModify does not implement "fields".
          { new: true, writeConcern: MAJORITY_WRITE },
        )
        .lean<RedeemableCode>()
        .exec();
      if (updated) {
        this.pendingListeners.notify();
        return { outcome: 'rolled_back', code: updated, redemption: rolledBack };
      }
    }
  }
}
