import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types, type ClientSession, type mongo } from 'mongoose';
import { MAJORITY_READ, MAJORITY_WRITE } from '../durability';
import { isDuplicateKeyError } from '../mongo-errors';
import { claimCommands, claimTicket, type ClaimCommand, type ClaimTicket } from './claim-commands';
import { Code } from './code.schema';

export interface ClaimedCode {
  readonly id: string;
  readonly brandId: string;
  /** Absent for the brand's default campaign. */
  readonly campaignId?: string;
  readonly code: string;
  readonly userId: string;
  readonly claimedAt: Date;
  readonly eventId: string;
  /** Trace context captured at claim time, when a trace was active. */
  readonly traceContext?: Readonly<Record<string, string>>;
}

export type ClaimAttempt =
  | { readonly outcome: 'claimed'; readonly code: ClaimedCode }
  /** The user already holds a code of this brand: nothing was changed. */
  | { readonly outcome: 'already_holding' }
  /** No available code (or no such brand: the caller tells the two apart). */
  | { readonly outcome: 'none_available' };

/** A claim in a campaign other than the default one: what happened, and every code the user holds there. */
export type CampaignClaim =
  | { readonly outcome: 'claimed'; readonly code: ClaimedCode; readonly held: readonly ClaimedCode[] }
  /** The user holds perUserLimit codes of the campaign already: nothing was changed. */
  | { readonly outcome: 'limit_reached'; readonly held: readonly ClaimedCode[] }
  | { readonly outcome: 'none_available'; readonly held: readonly ClaimedCode[] };

/** What one claim request gets: a new code, the code the user already holds, or nothing. */
export type ClaimOrHeld =
  | { readonly outcome: 'claimed'; readonly code: ClaimedCode }
  | { readonly outcome: 'held'; readonly code: ClaimedCode }
  | { readonly outcome: 'none_available' };

type ClaimedLean = Pick<
  Code,
  'brandId' | 'campaignId' | 'code' | 'claimedBy' | 'claimedAt' | 'eventId' | 'traceContext'
> & {
  _id: Types.ObjectId;
};
const CLAIMED_FIELDS = {
  brandId: 1,
  campaignId: 1,
  code: 1,
  claimedBy: 1,
  claimedAt: 1,
  eventId: 1,
  traceContext: 1,
} as const;

function toClaimed(doc: ClaimedLean): ClaimedCode {
  return {
    id: doc._id.toHexString(),
    brandId: doc.brandId,
    ...(doc.campaignId ? { campaignId: doc.campaignId } : {}),
    code: doc.code,
    userId: doc.claimedBy ?? '',
    claimedAt: doc.claimedAt ?? new Date(0),
    eventId: doc.eventId ?? '',
    ...(doc.traceContext ? { traceContext: doc.traceContext } : {}),
  };
}

/** The provider's side of the codes collection: claims, and the claims' outbox. */
@Injectable()
export class CodeClaimsRepository {
  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /**
   * A new claim, else the code the user already holds (a repeat claim, or one once the brand ran
   * out). One causally consistent session for both: when the claim failed because a concurrent
   * request of the same user had just claimed (its write applied, not yet majority-committed),
   * the majority read waits until that claim is committed instead of missing it.
   */
  async claimOrFindHeld(
    brandId: string,
    userId: string,
    now: Date,
    traceContext?: Readonly<Record<string, string>>,
  ): Promise<ClaimOrHeld> {
    const session = this.codes.db.getClient().startSession({ causalConsistency: true });
    try {
      const attempt = await this.claimAvailable(brandId, userId, now, traceContext, session);
      if (attempt.outcome === 'claimed') return attempt;
      const held = await this.findHeldBy(brandId, userId, session);
      return held ? { outcome: 'held', code: held } : { outcome: 'none_available' };
    } finally {
      await session.endSession();
    }
  }

  /**
   * Moves one available code of the brand to the user with a single findOneAndUpdate, starting
   * at a random slot. Only when nothing is available at or after that slot is a second
   * findOneAndUpdate made, below it. The same write puts the claim's event in the outbox
   * (eventPending), so a claim and its event are stored or lost together.
   */
  async claimAvailable(
    brandId: string,
    userId: string,
    now: Date,
    traceContext?: Readonly<Record<string, string>>,
    session?: ClientSession,
    ticket?: ClaimTicket,
  ): Promise<ClaimAttempt> {
    const [atOrAbove, below] = claimCommands(brandId, userId, now, traceContext, undefined, ticket);
    try {
      const claimed = (await this.send(atOrAbove, session)) ?? (await this.send(below, session));
      return claimed ? { outcome: 'claimed', code: toClaimed(claimed) } : { outcome: 'none_available' };
    } catch (error) {
      if (isDuplicateKeyError(error)) return { outcome: 'already_holding' };
      throw error;
    }
  }

  /**
   * A claim in a campaign other than the default one, for a user who may hold up to
   * `perUserLimit` of its codes: the user's free ticket is tried, and when a concurrent claim of
   * the same user took that ticket first, the next one. A read and one findOneAndUpdate when
   * nothing races; never more than perUserLimit codes, since each ticket is unique per brand.
   */
  async claimInCampaign(
    brandId: string,
    campaignId: string,
    userId: string,
    perUserLimit: number,
    now: Date,
    traceContext?: Readonly<Record<string, string>>,
  ): Promise<CampaignClaim> {
    const tickets = Array.from({ length: perUserLimit }, (_, n) => claimTicket(userId, campaignId, n));
    const session = this.codes.db.getClient().startSession({ causalConsistency: true });
    try {
      for (let round = 0; round <= perUserLimit; round += 1) {
        const held = await this.findHeldTickets(brandId, tickets, session);
        const taken = new Set(held.map((code) => code.holder));
        const free = tickets.find((ticket) => !taken.has(ticket.holder));
        const heldCodes = held.map(toClaimed);
        if (!free) return { outcome: 'limit_reached', held: heldCodes };
        const attempt = await this.claimAvailable(brandId, userId, now, traceContext, session, free);
        if (attempt.outcome === 'claimed') {
          return { outcome: 'claimed', code: attempt.code, held: [...heldCodes, attempt.code] };
        }
        if (attempt.outcome === 'none_available') return { outcome: 'none_available', held: heldCodes };
        // already_holding: a concurrent claim of this user took the ticket; read again.
      }
      return {
        outcome: 'limit_reached',
        held: (await this.findHeldTickets(brandId, tickets, session)).map(toClaimed),
      };
    } finally {
      await session.endSession();
    }
  }

  private findHeldTickets(
    brandId: string,
    tickets: readonly ClaimTicket[],
    session: ClientSession,
  ): Promise<Array<ClaimedLean & { holder: string }>> {
    return this.codes.collection
      .find<ClaimedLean & { holder: string }>(
        { brandId, holder: { $in: tickets.map((ticket) => ticket.holder) } },
        { projection: { ...CLAIMED_FIELDS, holder: 1 }, readConcern: MAJORITY_READ, session },
      )
      .sort({ claimedAt: 1, _id: 1 })
      .toArray();
  }

  /**
   * The code the user holds, read with readConcern majority: a code that a failover could still
   * take back is not given out as theirs.
   */
  async findHeldBy(brandId: string, userId: string, session?: ClientSession): Promise<ClaimedCode | null> {
    const doc = await this.codes.collection.findOne<ClaimedLean>(
      { brandId, holder: userId },
      { projection: CLAIMED_FIELDS, readConcern: MAJORITY_READ, session },
    );
    return doc ? toClaimed(doc) : null;
  }

  /** Claims whose event is not published yet, oldest first, claimed before `claimedBefore`. */
  async findPendingEvents(limit: number, claimedBefore: Date): Promise<ClaimedCode[]> {
    const docs = await this.codes
      .find({ eventPending: true, claimedAt: { $lt: claimedBefore } }, CLAIMED_FIELDS)
      .sort({ eventPending: 1, claimedAt: 1 })
      .limit(limit)
      .lean<ClaimedLean[]>()
      .exec();
    return docs.map(toClaimed);
  }

  /**
   * Takes claims out of the outbox; call only once JetStream acknowledged their events. Written
   * like the claim, so that across a failover the outbox keeps agreeing with what JetStream
   * acknowledged (a mark lost anyway would only republish events, which their ids deduplicate).
   */
  async markEventsPublished(codeIds: readonly string[], at: Date): Promise<void> {
    if (codeIds.length === 0) return;
    await this.codes
      .updateMany(
        { _id: { $in: codeIds.map((id) => new Types.ObjectId(id)) }, eventPending: true },
        { $set: { eventPublishedAt: at }, $unset: { eventPending: '' } },
        { writeConcern: MAJORITY_WRITE },
      )
      .exec();
  }

  /** The outbox's size: served by the eventPending index (only pending claims carry the field). */
  async countPendingEvents(): Promise<number> {
    return this.codes.countDocuments({ eventPending: true }).exec();
  }

  /**
   * Straight to the driver: the command is already in its stored shape, and mongoose's query
   * machinery (casting, hooks, promise chains) cost more CPU than the command itself (see the
   * README's claim-path profile). The driver's options type wants a mutable sort.
   */
  private send(command: ClaimCommand, session?: ClientSession): Promise<ClaimedLean | null> {
    return this.codes.collection.findOneAndUpdate(command.filter, command.update, {
      ...(command.options as mongo.FindOneAndUpdateOptions),
      session,
    }) as Promise<ClaimedLean | null>;
  }
}
