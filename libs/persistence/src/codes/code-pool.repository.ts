import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { notExpired } from './claim-commands';
import { Code } from './code.schema';

/**
 * How many claimable codes brands have left: what the provider's pool.low monitor and its pool
 * level gauges read.
 */
@Injectable()
export class CodePoolRepository {
  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /**
   * Claimable codes (available and not expired) of the brand's default campaign: the pool that
   * pool.low and replenishment look after (a replenishment stores codes there, never in another
   * campaign). Served on MongoDB by BRAND_STATUS_INDEX, whose {brandId, status, campaignId} prefix
   * this is (`campaignId: null` matches the default campaign's codes, which have none); a full
   * scan on the dev server.
   */
  async countAvailable(brandId: string, now = new Date()): Promise<number> {
    return this.codes
      .countDocuments({ brandId, status: 'available', campaignId: null, $or: notExpired(now) })
      .exec();
  }

  /** Claimable codes of each of `brandIds` (0 for brands with none). */
  async countAvailableOf(brandIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.codes
      .aggregate<{ _id: string; n: number }>([
        { $match: { brandId: { $in: [...brandIds] }, status: 'available', $or: notExpired(new Date()) } },
        { $group: { _id: '$brandId', n: { $sum: 1 } } },
      ])
      .exec();
    const counts = new Map(brandIds.map((id) => [id, 0]));
    for (const row of rows) counts.set(row._id, row.n);
    return counts;
  }

  /**
   * The `limit` brands with the most claimable codes. A scan of all available codes: call it on
   * an interval, never per request or per scrape.
   */
  async topAvailable(limit: number): Promise<Map<string, number>> {
    const rows = await this.codes
      .aggregate<{ _id: string; n: number }>([
        { $match: { status: 'available', $or: notExpired(new Date()) } },
        { $group: { _id: '$brandId', n: { $sum: 1 } } },
        { $sort: { n: -1, _id: 1 } },
        { $limit: limit },
      ])
      .exec();
    return new Map(rows.map((row) => [row._id, row.n]));
  }
}
