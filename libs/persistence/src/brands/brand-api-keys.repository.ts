import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DomainError } from '@app/contracts';
import { Brand } from './brand.schema';
import type { ApiKeyMatch, RotatedApiKey } from './brand-record';

/** Rotations of one brand racing each other: each round, one wins and the others read again. */
const MAX_ROTATION_ATTEMPTS = 5;

/**
 * A brand's API keys, as stored hashes: the lookup every brand-facing request authenticates by,
 * and the rotation that replaces a key while the old one keeps working for a grace period.
 */
@Injectable()
export class BrandApiKeysRepository {
  constructor(@InjectModel(Brand.name) private readonly brands: Model<Brand>) {}

  /**
   * The brand whose current key, or previous key still in its grace period, has this hash. The
   * lookup compares hashes of 256-bit random keys, so its timing tells nothing about any key.
   */
  async findByApiKeyHash(apiKeyHash: string, now: Date): Promise<ApiKeyMatch | null> {
    const doc = await this.brands
      .findOne(
        {
          $or: [{ apiKeyHash }, { previousApiKeyHash: apiKeyHash, previousApiKeyExpiresAt: { $gt: now } }],
        },
        { _id: 1, apiKeyHash: 1 },
      )
      .lean<Pick<Brand, '_id' | 'apiKeyHash'>>()
      .exec();
    return doc ? { brandId: doc._id, previous: !sameHash(doc.apiKeyHash, apiKeyHash) } : null;
  }

  /** The hashes of the brand's keys: the current one, and the replaced one while it still works. */
  async apiKeyHashes(
    brandId: string,
    now: Date,
  ): Promise<{ current: string; previous?: { hash: string; expiresAt: Date } } | null> {
    const doc = await this.brands
      .findById(brandId, { apiKeyHash: 1, previousApiKeyHash: 1, previousApiKeyExpiresAt: 1 })
      .lean<Pick<Brand, '_id' | 'apiKeyHash' | 'previousApiKeyHash' | 'previousApiKeyExpiresAt'>>()
      .exec();
    if (!doc) return null;
    const { previousApiKeyHash: hash, previousApiKeyExpiresAt: expiresAt } = doc;
    return {
      current: doc.apiKeyHash,
      ...(hash && expiresAt && expiresAt > now ? { previous: { hash, expiresAt } } : {}),
    };
  }

  /** Ends the replaced key's grace period now. False when the brand does not exist. */
  async revokePreviousApiKey(brandId: string): Promise<boolean> {
    const result = await this.brands
      .updateOne({ _id: brandId }, { $unset: { previousApiKeyHash: '', previousApiKeyExpiresAt: '' } })
      .exec();
    return result.matchedCount === 1;
  }

  /**
   * Makes `newApiKeyHash` the brand's key; the key it replaces keeps working until
   * `previousKeyExpiresAt`. A compare-and-set on the current hash, so two rotations at once
   * cannot both think they replaced the same key.
   */
  async rotateApiKey(
    brandId: string,
    newApiKeyHash: string,
    previousKeyExpiresAt: Date,
  ): Promise<RotatedApiKey> {
    for (let attempt = 0; attempt < MAX_ROTATION_ATTEMPTS; attempt++) {
      const current = await this.brands
        .findById(brandId, { apiKeyHash: 1 })
        .lean<Pick<Brand, '_id' | 'apiKeyHash'>>()
        .exec();
      if (!current) throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
      const result = await this.brands
        .updateOne(
          { _id: brandId, apiKeyHash: current.apiKeyHash },
          {
            $set: {
              apiKeyHash: newApiKeyHash,
              previousApiKeyHash: current.apiKeyHash,
              previousApiKeyExpiresAt: previousKeyExpiresAt,
            },
          },
        )
        .exec();
      if (result.modifiedCount === 1) return { previousApiKeyHash: current.apiKeyHash, previousKeyExpiresAt };
    }
    throw new Error(
      `API key of brand ${brandId} kept changing during ${MAX_ROTATION_ATTEMPTS} rotation attempts`,
    );
  }
}

/** Hashes of keys, not keys; compared in constant time anyway, like every credential. */
function sameHash(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}
