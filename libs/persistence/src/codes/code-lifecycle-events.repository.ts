import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Code, type CodeLifecycleEvent } from './code.schema';

/** A pending lifecycle event with the code it is about, as the relay reads it. */
export interface PendingCodeEvent extends CodeLifecycleEvent {
  readonly eventId: string;
}

export interface CodeWithPendingEvents {
  readonly brandId: string;
  readonly campaignId?: string;
  readonly code: string;
  readonly claimedBy?: string;
  /** Oldest first. */
  readonly events: readonly PendingCodeEvent[];
}

type PendingLean = Pick<Code, 'brandId' | 'campaignId' | 'code' | 'claimedBy' | 'lifecycleEvents'>;

/**
 * The codes' lifecycle outbox, as the generator's relay works it: CodeRedemptionsRepository writes
 * each event with its transition; this reads the pending ones and removes those relayed. Several
 * relays at once do no harm: an event relayed twice is one delivery (its id), and removing it twice
 * removes it once.
 */
@Injectable()
export class CodeLifecycleEventsRepository {
  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /** Up to `limit` codes with pending lifecycle events (through the sparse LIFECYCLE_OUTBOX_INDEX). */
  async findPending(limit: number): Promise<CodeWithPendingEvents[]> {
    const docs = await this.codes
      .find(
        { lifecycleEventsPending: true },
        { _id: 0, brandId: 1, campaignId: 1, code: 1, claimedBy: 1, lifecycleEvents: 1 },
      )
      .limit(limit)
      .lean<PendingLean[]>()
      .exec();
    return docs.map((doc) => ({
      brandId: doc.brandId,
      ...(doc.campaignId !== undefined && doc.campaignId !== null ? { campaignId: doc.campaignId } : {}),
      code: doc.code,
      ...(doc.claimedBy ? { claimedBy: doc.claimedBy } : {}),
      events: Object.entries(doc.lifecycleEvents ?? {})
        .map(([eventId, event]) => ({ eventId, ...event }))
        .sort((a, b) => eventTime(a) - eventTime(b)),
    }));
  }

  /**
   * Removes relayed events from the code's outbox, then takes the code out of the index if no event
   * is left. Two writes: an event a transition adds in between keeps the code in (the second
   * write's filter wants the outbox empty), and a crash in between leaves an empty outbox the next
   * scan clears.
   */
  async removeRelayed(brandId: string, code: string, eventIds: readonly string[]): Promise<void> {
    // The driver directly: the filter's empty document must reach the server as it is.
    const codes = this.codes.collection;
    if (eventIds.length > 0) {
      await codes.updateOne(
        { brandId, code },
        { $unset: Object.fromEntries(eventIds.map((id) => [`lifecycleEvents.${id}`, ''])) },
      );
    }
    await codes.updateOne(
      {
        brandId,
        code,
        lifecycleEventsPending: true,
        $or: [{ lifecycleEvents: {} }, { lifecycleEvents: { $exists: false } }],
      },
      { $unset: { lifecycleEvents: '', lifecycleEventsPending: '' } },
    );
  }

  /** Codes with lifecycle events not relayed yet (tests and operators). */
  countPending(): Promise<number> {
    return this.codes.countDocuments({ lifecycleEventsPending: true }).exec();
  }
}

/** When the event happened: the rollback's time for a rollback, the redemption's otherwise. */
function eventTime(event: CodeLifecycleEvent): number {
  const { redemption } = event;
  return new Date(redemption.rolledBackAt ?? redemption.redeemedAt).getTime();
}
