import { randomInt, randomUUID } from 'node:crypto';
import { MAJORITY_WRITE } from '../durability';
import { SLOT_RANGE } from './code.schema';

/**
 * A claim as it is sent to the server, apart from the repository that sends it: the benchmarks'
 * raw-driver baselines send the very same commands, and other reads of claimable codes share
 * their notExpired.
 */

/**
 * Whom a claim makes the holder of a code: the user in the default campaign (as before
 * campaigns), one of the user's numbered tickets in any other. The unique {brandId, holder} index
 * then lets a user hold at most one code per ticket, so at most perUserLimit codes of a campaign
 * however many claims race. '#' is in no id, so a ticket is never a user id or an unclaimed holder.
 */
export interface ClaimTicket {
  /** As stored: undefined for the default campaign. */
  readonly campaignId?: string;
  readonly holder: string;
}

export function claimTicket(userId: string, campaignId: string, n: number): ClaimTicket {
  return { campaignId, holder: `${userId}#${campaignId}#${n}` };
}

/** One claim attempt, exactly as sent to the server. */
export interface ClaimCommand {
  readonly filter: {
    readonly brandId: string;
    /** null matches the default campaign's codes, which have no campaignId. */
    readonly campaignId: string | null;
    readonly status: 'available';
    readonly slot: { readonly $gte: number } | { readonly $lt: number };
    readonly $or: Array<{ expiresAt: null | { $gt: Date } }>;
  };
  readonly update: { readonly $set: Readonly<Record<string, unknown>> };
  readonly options: {
    readonly sort: { readonly slot: 1 | -1 };
    readonly returnDocument: 'after';
    readonly writeConcern: typeof MAJORITY_WRITE;
  };
}

/**
 * Codes without an expiry (the field absent: `null` matches a missing field) or expiring later
 * than `now`. Deliberately a residual filter on BRAND_STATUS_INDEX rather than a new index: the
 * slot order is what spreads concurrent claims, and expired codes of a brand are few next to its
 * live ones in practice. Stats count them apart as `expired`.
 */
export function notExpired(now: Date): Array<{ expiresAt: null | { $gt: Date } }> {
  return [{ expiresAt: null }, { expiresAt: { $gt: now } }];
}

/**
 * The two findOneAndUpdate commands of a claim: the first available code of the ticket's campaign
 * at or after a random slot, and the fallback below it, sent only when nothing is left above.
 * Exported so that the benchmark's raw-driver baseline sends the very same commands.
 */
export function claimCommands(
  brandId: string,
  userId: string,
  now: Date,
  traceContext?: Readonly<Record<string, string>>,
  start = randomInt(SLOT_RANGE),
  ticket: ClaimTicket = { holder: userId },
): readonly [ClaimCommand, ClaimCommand] {
  // The same write puts the claim's event in the outbox (eventPending), so a claim and its event
  // are stored or lost together.
  const update = {
    $set: {
      status: 'claimed',
      holder: ticket.holder,
      claimedBy: userId,
      claimedAt: now,
      eventId: randomUUID(),
      eventPending: true,
      ...(traceContext ? { traceContext } : {}),
    },
  };
  // No projection: FerretDB's findAndModify does not implement "fields", and a code document is
  // small. A claim acknowledged before a majority journaled it could be rolled back by a failover
  // and handed to a second user.
  const campaignId = ticket.campaignId ?? null;
  return [
    {
      filter: { brandId, campaignId, status: 'available', slot: { $gte: start }, $or: notExpired(now) },
      update,
      options: { sort: { slot: 1 }, returnDocument: 'after', writeConcern: MAJORITY_WRITE },
    },
    {
      filter: { brandId, campaignId, status: 'available', slot: { $lt: start }, $or: notExpired(now) },
      update,
      options: { sort: { slot: -1 }, returnDocument: 'after', writeConcern: MAJORITY_WRITE },
    },
  ];
}
