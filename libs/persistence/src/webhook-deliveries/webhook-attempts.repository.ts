import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { MAJORITY_WRITE } from '../durability';
import { WebhookAttempt } from './webhook-attempt.schema';
import type { AttemptSummary } from './webhook-delivery.schema';

export interface AttemptRecord extends AttemptSummary {
  readonly deliveryId: string;
  readonly number: number;
}

@Injectable()
export class WebhookAttemptsRepository {
  constructor(@InjectModel(WebhookAttempt.name) private readonly attempts: Model<WebhookAttempt>) {}

  /** Append-only, so it costs an insert (cheap everywhere, including the dev server). */
  async record(brandId: string, attempt: AttemptRecord): Promise<void> {
    await this.attempts.collection.insertOne({ brandId, ...attempt });
  }

  /** Attempts of these deliveries, in order, grouped by delivery id. */
  async forDeliveries(deliveryIds: readonly string[]): Promise<Map<string, AttemptRecord[]>> {
    const grouped = new Map<string, AttemptRecord[]>(deliveryIds.map((id) => [id, []]));
    if (deliveryIds.length === 0) return grouped;
    const docs = await this.attempts
      .find({ deliveryId: { $in: [...deliveryIds] } }, { _id: 0, brandId: 0 })
      .sort({ deliveryId: 1, number: 1 })
      .lean<AttemptRecord[]>()
      .exec();
    for (const doc of docs) grouped.get(doc.deliveryId)?.push(doc);
    return grouped;
  }

  /**
   * The attempts of these deliveries made before `before`, deleted ahead of the deliveries
   * themselves: a sweep interrupted in between leaves deliveries that the next one selects again,
   * never attempts without a delivery. A dead letter redelivered in between keeps only its attempts
   * from `before` on (the older ones were past retention anyway).
   */
  async deleteOfDeliveries(deliveryIds: readonly string[], before: Date): Promise<number> {
    if (deliveryIds.length === 0) return 0;
    const result = await this.attempts
      .deleteMany(
        { deliveryId: { $in: [...deliveryIds] }, at: { $lt: before } },
        { writeConcern: MAJORITY_WRITE },
      )
      .exec();
    return result.deletedCount;
  }
}
