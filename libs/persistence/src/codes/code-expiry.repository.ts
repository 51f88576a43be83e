import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, type Types } from 'mongoose';
import { MAJORITY_WRITE } from '../durability';
import { Code, EXPIRY_INDEX } from './code.schema';

/**
 * The retention sweep's side of the codes collection (the generator's: it owns the inventory).
 * Each call handles at most `limit` codes: first their _ids through the {status, expiresAt}
 * index, then one update or delete by those _ids, so no single write grows with the backlog.
 * Every write repeats the selection's conditions, which makes it idempotent: generator replicas
 * sweeping at once select the same codes, and the second write finds nothing left to change.
 */
@Injectable()
export class CodeExpiryRepository {
  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /**
   * Moves up to `limit` available codes past their expiry (at `now`) to `expired`; resolves how
   * many were selected, so the caller knows whether more may be left (a concurrent sweeper may
   * have marked some of them first). A claim racing this write either took the code before (it
   * is no longer `available`) or never could (its filter wants an expiry after its own now).
   */
  async markExpired(now: Date, limit: number): Promise<number> {
    const filter = { status: 'available' as const, expiresAt: { $lte: now } };
    const ids = await this.idsOf(filter, limit);
    if (ids.length === 0) return 0;
    await this.codes
      .updateMany(
        { _id: { $in: ids }, ...filter },
        { $set: { status: 'expired' } },
        { writeConcern: MAJORITY_WRITE },
      )
      .exec();
    return ids.length;
  }

  /**
   * Deletes up to `limit` codes marked expired whose expiry is before `before`; resolves how many
   * were selected. Available codes past their expiry but not yet marked wait for the next sweep:
   * only what the sweep itself marked is ever deleted, never a claimed code.
   */
  async deleteExpired(before: Date, limit: number): Promise<number> {
    const filter = { status: 'expired' as const, expiresAt: { $lt: before } };
    const ids = await this.idsOf(filter, limit);
    if (ids.length === 0) return 0;
    await this.codes.deleteMany({ _id: { $in: ids }, ...filter }, { writeConcern: MAJORITY_WRITE }).exec();
    return ids.length;
  }

  private async idsOf(filter: Record<string, unknown>, limit: number): Promise<Types.ObjectId[]> {
    const docs = await this.codes
      .find(filter, { _id: 1 })
      .sort(EXPIRY_INDEX)
      .limit(limit)
      .lean<Array<{ _id: Types.ObjectId }>>()
      .exec();
    return docs.map((doc) => doc._id);
  }
}
