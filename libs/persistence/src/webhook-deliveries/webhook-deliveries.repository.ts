import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, type mongo } from 'mongoose';
import { MAJORITY_WRITE } from '../durability';
import { duplicateIndexes } from '../mongo-errors';
import { WebhookDelivery, type AttemptSummary, type DeliveryStatus } from './webhook-delivery.schema';

export interface NewDelivery {
  /** The event id, which is also the delivery's id. */
  readonly eventId: string;
  readonly brandId: string;
  readonly eventType: string;
  readonly payload: Record<string, unknown>;
  readonly traceContext?: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  /**
   * Stored already leased to a dispatcher that has a slot for it right now: its first attempt
   * then needs neither a search nor a lease of its own.
   */
  readonly lease?: { readonly token: string; readonly until: Date };
}

export interface DeliveryRecord {
  readonly id: string;
  readonly brandId: string;
  readonly eventType: string;
  readonly payload: Record<string, unknown>;
  readonly status: DeliveryStatus;
  readonly nextAttemptAt?: Date;
  readonly cycleAttempts: number;
  readonly totalAttempts: number;
  readonly cycleStartedAt: Date;
  readonly lastAttempt?: AttemptSummary;
  readonly deliveredAt?: Date;
  readonly deadAt?: Date;
  readonly deadReason?: string;
  readonly redeliveries: number;
  readonly traceContext?: Readonly<Record<string, string>>;
  readonly createdAt: Date;
}

/** A delivery this dispatcher holds for one attempt, until `leaseToken` is replaced or expires. */
export interface LeasedDelivery extends DeliveryRecord {
  readonly leaseToken: string;
}

export interface DeliveryPage {
  readonly status?: DeliveryStatus;
  readonly limit: number;
  /** The last item of the previous page: the listing continues strictly after it. */
  readonly after?: { readonly createdAt: Date; readonly id: string };
}

export type RedeliverOutcome = 'requeued' | 'not_found' | 'not_dead';

type DeliveryLean = WebhookDelivery;

function toRecord(doc: DeliveryLean): DeliveryRecord {
  const { _id, leaseToken: _lease, ...rest } = doc;
  return { id: _id, ...rest };
}

/** Finished deliveries, each status by the time it finished (the sparse indexes below). */
const finishedBefore = (before: Date) => [
  { status: 'delivered' as const, deliveredAt: { $lt: before } },
  { status: 'dead' as const, deadAt: { $lt: before } },
];

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>) {}

  /**
   * Stores new deliveries, due at once (or leased, when given a lease). A delivery that already
   * exists (its event came again) is left as it is; resolves the ids that were new.
   */
  async insertNew(deliveries: readonly NewDelivery[]): Promise<Set<string>> {
    if (deliveries.length === 0) return new Set();
    const documents = deliveries.map((d) => ({
      _id: d.eventId,
      brandId: d.brandId,
      eventType: d.eventType,
      payload: d.payload,
      status: 'pending' as const,
      nextAttemptAt: d.lease?.until ?? d.createdAt,
      ...(d.lease ? { leaseToken: d.lease.token } : {}),
      cycleAttempts: 0,
      totalAttempts: 0,
      cycleStartedAt: d.createdAt,
      redeliveries: 0,
      ...(d.traceContext ? { traceContext: d.traceContext } : {}),
      createdAt: d.createdAt,
    }));
    let refused = new Set<number>();
    try {
      // The driver directly: string _ids, and no per-document casting cost.
      const collection = this.deliveries.collection as unknown as mongo.Collection<
        (typeof documents)[number]
      >;
      await collection.insertMany(documents, { ordered: false });
    } catch (error) {
      refused = duplicateIndexes(error);
    }
    return new Set(documents.filter((_, i) => !refused.has(i)).map((d) => d._id));
  }

  /** Due pending deliveries, oldest first, skipping brands that have no room for another attempt. */
  async findDue(
    now: Date,
    limit: number,
    excludeBrandIds: readonly string[],
  ): Promise<Array<{ id: string; brandId: string }>> {
    if (limit <= 0) return [];
    const docs = await this.deliveries
      .find(
        {
          status: 'pending',
          nextAttemptAt: { $lte: now },
          ...(excludeBrandIds.length > 0 ? { brandId: { $nin: [...excludeBrandIds] } } : {}),
        },
        { _id: 1, brandId: 1 },
      )
      .sort({ status: 1, nextAttemptAt: 1 })
      .limit(limit)
      .lean<Array<Pick<WebhookDelivery, '_id' | 'brandId'>>>()
      .exec();
    return docs.map((d) => ({ id: d._id, brandId: d.brandId }));
  }

  /**
   * Takes one due delivery for an attempt, atomically: its nextAttemptAt moves to `until`, so
   * if this process dies mid-attempt the delivery becomes due again by itself (at-least-once).
   * Null when another dispatcher took it first.
   */
  async lease(id: string, now: Date, until: Date, token: string): Promise<LeasedDelivery | null> {
    const doc = await this.deliveries
      .findOneAndUpdate(
        { _id: id, status: 'pending', nextAttemptAt: { $lte: now } },
        { $set: { nextAttemptAt: until, leaseToken: token } },
        { returnDocument: 'after' },
      )
      .lean<DeliveryLean>()
      .exec();
    return doc ? { ...toRecord(doc), leaseToken: token } : null;
  }

  async recordDelivered(lease: LeasedDelivery, attempt: AttemptSummary): Promise<boolean> {
    return this.finishAttempt(lease, attempt, {
      $set: { status: 'delivered', deliveredAt: attempt.at },
      $unset: { nextAttemptAt: '' },
    });
  }

  async recordRetry(lease: LeasedDelivery, attempt: AttemptSummary, nextAttemptAt: Date): Promise<boolean> {
    return this.finishAttempt(lease, attempt, { $set: { nextAttemptAt } });
  }

  /** Dead letter: no more attempts until someone redelivers it. */
  async recordDead(lease: LeasedDelivery, attempt: AttemptSummary, reason: string): Promise<boolean> {
    return this.finishAttempt(lease, attempt, {
      $set: { status: 'dead', deadAt: attempt.at, deadReason: reason },
      $unset: { nextAttemptAt: '' },
    });
  }

  /** Puts a dead letter back in line, with a fresh budget of attempts and age. */
  async redeliver(brandId: string, id: string, now: Date): Promise<RedeliverOutcome> {
    const result = await this.deliveries
      .updateOne(
        { _id: id, brandId, status: 'dead' },
        {
          $set: { status: 'pending', nextAttemptAt: now, cycleAttempts: 0, cycleStartedAt: now },
          $inc: { redeliveries: 1 },
          $unset: { deadAt: '', deadReason: '', leaseToken: '' },
        },
      )
      .exec();
    if (result.modifiedCount === 1) return 'requeued';
    return (await this.findOne(brandId, id)) ? 'not_dead' : 'not_found';
  }

  async findOne(brandId: string, id: string): Promise<DeliveryRecord | null> {
    const doc = await this.deliveries.findOne({ _id: id, brandId }).lean<DeliveryLean>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** A brand's deliveries, newest first, one page. */
  async list(brandId: string, page: DeliveryPage): Promise<DeliveryRecord[]> {
    const after = page.after
      ? {
          $or: [
            { createdAt: { $lt: page.after.createdAt } },
            { createdAt: page.after.createdAt, _id: { $lt: page.after.id } },
          ],
        }
      : {};
    const docs = await this.deliveries
      .find({ brandId, ...(page.status ? { status: page.status } : {}), ...after })
      .sort({ brandId: 1, createdAt: -1, _id: -1 })
      .limit(page.limit)
      .lean<DeliveryLean[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Counts per status for one brand (tests and operators). */
  async countByStatus(brandId: string): Promise<Record<DeliveryStatus, number>> {
    const [pending, delivered, dead] = await Promise.all(
      (['pending', 'delivered', 'dead'] as const).map((status) =>
        this.deliveries.countDocuments({ brandId, status }).exec(),
      ),
    );
    return { pending: pending!, delivered: delivered!, dead: dead! };
  }

  /**
   * Up to `limit` ids of deliveries that finished (delivered, or dead-lettered) before `before`,
   * delivered ones first: the retention sweep's selection. Pending deliveries have neither
   * timestamp, and a redelivered dead letter loses its deadAt, so neither is ever selected.
   */
  async findFinishedBefore(before: Date, limit: number): Promise<string[]> {
    const ids: string[] = [];
    for (const finished of finishedBefore(before)) {
      if (ids.length >= limit) break;
      const docs = await this.deliveries
        .find(finished, { _id: 1 })
        .limit(limit - ids.length)
        .lean<Array<Pick<WebhookDelivery, '_id'>>>()
        .exec();
      ids.push(...docs.map((d) => d._id));
    }
    return ids;
  }

  /**
   * Deletes those of `ids` that are still finished before `before` (one redelivered meanwhile
   * stays); resolves how many went. Idempotent, so replicas sweeping at once do no harm.
   */
  async deleteFinished(ids: readonly string[], before: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.deliveries
      .deleteMany({ _id: { $in: [...ids] }, $or: finishedBefore(before) }, { writeConcern: MAJORITY_WRITE })
      .exec();
    return result.deletedCount;
  }

  /**
   * Writes an attempt's result only while the lease is still ours: an attempt that outlived its
   * lease (and was retried elsewhere) must not overwrite the newer state.
   */
  private async finishAttempt(
    lease: LeasedDelivery,
    attempt: AttemptSummary,
    update: { $set: Record<string, unknown>; $unset?: Record<string, ''> },
  ): Promise<boolean> {
    const result = await this.deliveries
      .updateOne(
        { _id: lease.id, leaseToken: lease.leaseToken, status: 'pending' },
        {
          $set: { ...update.$set, lastAttempt: attempt },
          $inc: { cycleAttempts: 1, totalAttempts: 1 },
          $unset: { ...update.$unset, leaseToken: '' },
        },
      )
      .exec();
    return result.modifiedCount === 1;
  }
}
