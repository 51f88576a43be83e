import { randomInt, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '../mongo-errors';
import { Code, SLOT_RANGE } from './code.schema';

export interface ClaimedCode {
  readonly id: string;
  readonly brandId: string;
  readonly code: string;
  readonly userId: string;
  readonly claimedAt: Date;
  readonly eventId: string;
}

export type ClaimAttempt =
  | { readonly outcome: 'claimed'; readonly code: ClaimedCode }
  /** The user already holds a code of this brand: nothing was changed. */
  | { readonly outcome: 'already_holding' }
  /** No available code (or no such brand: the caller tells the two apart). */
  | { readonly outcome: 'none_available' };

type ClaimedLean = Pick<Code, 'brandId' | 'code' | 'claimedBy' | 'claimedAt' | 'eventId'> & {
  _id: Types.ObjectId;
};
const CLAIMED_FIELDS = { brandId: 1, code: 1, claimedBy: 1, claimedAt: 1, eventId: 1 } as const;

function toClaimed(doc: ClaimedLean): ClaimedCode {
  return {
    id: doc._id.toHexString(),
    brandId: doc.brandId,
    code: doc.code,
    userId: doc.claimedBy ?? '',
    claimedAt: doc.claimedAt ?? new Date(0),
    eventId: doc.eventId ?? '',
  };
}

/** One claim attempt, exactly as sent to the server. */
export interface ClaimCommand {
  readonly filter: {
    readonly brandId: string;
    readonly status: 'available';
    readonly slot: { readonly $gte: number } | { readonly $lt: number };
  };
  readonly update: { readonly $set: Readonly<Record<string, unknown>> };
  readonly options: { readonly sort: { readonly slot: 1 | -1 }; readonly returnDocument: 'after' };
}

/**
 * The two findOneAndUpdate commands of a claim: the first available code at or after a random
 * slot, and the fallback below it, sent only when nothing is left above. Exported so that the
 * benchmark's raw-driver baseline sends the very same commands.
 */
export function claimCommands(
  brandId: string,
  userId: string,
  now: Date,
  start = randomInt(SLOT_RANGE),
): readonly [ClaimCommand, ClaimCommand] {
  const update = {
    $set: { status: 'claimed', holder: userId, claimedBy: userId, claimedAt: now, eventId: randomUUID() },
  };
  // No projection: FerretDB's findAndModify does not implement "fields", and a code document is
  // small.
  return [
    {
      filter: { brandId, status: 'available', slot: { $gte: start } },
      update,
      options: { sort: { slot: 1 }, returnDocument: 'after' },
    },
    {
      filter: { brandId, status: 'available', slot: { $lt: start } },
      update,
      options: { sort: { slot: -1 }, returnDocument: 'after' },
    },
  ];
}

/** The provider's side of the codes collection: claims. */
@Injectable()
export class CodeClaimsRepository {
  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /**
   * Moves one available code of the brand to the user with a single findOneAndUpdate, starting
   * at a random slot. Only when nothing is available at or after that slot is a second
   * findOneAndUpdate made, below it.
   */
  async claimAvailable(brandId: string, userId: string, now: Date): Promise<ClaimAttempt> {
    const [atOrAbove, below] = claimCommands(brandId, userId, now);
    try {
      const claimed = (await this.send(atOrAbove)) ?? (await this.send(below));
      return claimed ? { outcome: 'claimed', code: toClaimed(claimed) } : { outcome: 'none_available' };
    } catch (error) {
      if (isDuplicateKeyError(error)) return { outcome: 'already_holding' };
      throw error;
    }
  }

  async findHeldBy(brandId: string, userId: string): Promise<ClaimedCode | null> {
    const doc = await this.codes
      .findOne({ brandId, holder: userId }, CLAIMED_FIELDS)
      .lean<ClaimedLean>()
      .exec();
    return doc ? toClaimed(doc) : null;
  }

  async markEventPublished(codeId: string, at: Date): Promise<void> {
    await this.codes.updateOne({ _id: codeId }, { $set: { eventPublishedAt: at } }).exec();
  }

  private send(command: ClaimCommand): Promise<ClaimedLean | null> {
    return this.codes
      .findOneAndUpdate(command.filter, command.update, command.options)
      .lean<ClaimedLean>()
      .exec();
  }
}
