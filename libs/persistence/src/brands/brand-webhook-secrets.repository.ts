import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Brand } from './brand.schema';
import { escapeRegExp } from './escape-regexp';

/** A brand's stored webhook secrets, as they are sealed: what the resealer works through. */
export interface StoredWebhookSecrets {
  readonly id: string;
  readonly secret?: string;
  /** The secret a rotation replaced, with the end of its grace period. */
  readonly previous?: { readonly secret: string; readonly expiresAt?: Date };
}

/**
 * The sealed webhook secrets of brands, for moving them to the current sealing key. Every write
 * is a compare-and-set on the value read: a brand that changed its webhook meanwhile stored a
 * value sealed under the current key, which must not be overwritten.
 */
@Injectable()
export class BrandWebhookSecretsRepository {
  constructor(@InjectModel(Brand.name) private readonly brands: Model<Brand>) {}

  /**
   * Brands with work for the resealer: a webhook secret, current or previous, not sealed under
   * `currentPrefix` (an older key, or none), or a previous secret whose grace period ended by
   * `now` (to be dropped).
   */
  async findToReseal(currentPrefix: string, now: Date, limit: number): Promise<StoredWebhookSecrets[]> {
    const elsewhere = { $exists: true, $not: new RegExp(`^${escapeRegExp(currentPrefix)}`) };
    const docs = await this.brands
      .find(
        {
          $or: [
            { 'webhook.secret': elsewhere },
            { 'webhook.previousSecret': elsewhere },
            { 'webhook.previousSecretExpiresAt': { $lte: now } },
          ],
        },
        { _id: 1, 'webhook.secret': 1, 'webhook.previousSecret': 1, 'webhook.previousSecretExpiresAt': 1 },
      )
      .limit(limit)
      .lean<Array<Pick<Brand, '_id' | 'webhook'>>>()
      .exec();
    return docs.map(({ _id, webhook }) => ({
      id: _id,
      ...(webhook?.secret ? { secret: webhook.secret } : {}),
      ...(webhook?.previousSecret
        ? {
            previous: {
              secret: webhook.previousSecret,
              ...(webhook.previousSecretExpiresAt ? { expiresAt: webhook.previousSecretExpiresAt } : {}),
            },
          }
        : {}),
    }));
  }

  /**
   * Swaps one stored form of the current secret for another, unless the brand changed it
   * meanwhile. `secretHint` is set too, for values stored before sealing.
   */
  async replaceSecret(id: string, from: string, to: string, secretHint: string): Promise<boolean> {
    const result = await this.brands
      .updateOne(
        { _id: id, 'webhook.secret': from },
        { $set: { 'webhook.secret': to, 'webhook.secretHint': secretHint } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** The same for the previous secret. */
  async replacePreviousSecret(id: string, from: string, to: string): Promise<boolean> {
    const result = await this.brands
      .updateOne({ _id: id, 'webhook.previousSecret': from }, { $set: { 'webhook.previousSecret': to } })
      .exec();
    return result.modifiedCount === 1;
  }

  /** Forgets a previous secret whose grace period is over (nothing signs with it any more). */
  async dropPreviousSecret(id: string, value: string): Promise<boolean> {
    const result = await this.brands
      .updateOne(
        { _id: id, 'webhook.previousSecret': value },
        {
          $unset: {
            'webhook.previousSecret': '',
            'webhook.previousSecretHint': '',
            'webhook.previousSecretExpiresAt': '',
          },
        },
      )
      .exec();
    return result.modifiedCount === 1;
  }
}
