import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DomainError } from '@app/contracts';
import { isDuplicateKeyError } from '../mongo-errors';
import { Brand } from './brand.schema';

export interface BrandRecord {
  readonly id: string;
  readonly name: string;
  readonly claimedNotified: number;
  readonly createdAt: Date;
}

export interface NewBrand {
  readonly id: string;
  readonly name: string;
  readonly apiKeyHash: string;
}

/** Which of a brand's keys a hash matched. */
export interface ApiKeyMatch {
  readonly brandId: string;
  /** True for the key a rotation replaced, still inside its grace period. */
  readonly previous: boolean;
}

export interface RotatedApiKey {
  /** When the replaced key stops working. */
  readonly previousKeyExpiresAt: Date;
}

/** Rotations of one brand racing each other: each round, one wins and the others read again. */
const MAX_ROTATION_ATTEMPTS = 5;

type BrandLean = Pick<Brand, '_id' | 'name' | 'claimedNotified' | 'createdAt'>;
const RECORD_FIELDS = { _id: 1, name: 1, claimedNotified: 1, createdAt: 1 } as const;

function toRecord(doc: BrandLean): BrandRecord {
  return { id: doc._id, name: doc.name, claimedNotified: doc.claimedNotified, createdAt: doc.createdAt };
}

@Injectable()
export class BrandsRepository {
  constructor(@InjectModel(Brand.name) private readonly brands: Model<Brand>) {}

  async create(brand: NewBrand): Promise<BrandRecord> {
    try {
      const doc = await this.brands.create({ _id: brand.id, name: brand.name, apiKeyHash: brand.apiKeyHash });
      return toRecord(doc);
    } catch (error) {
      if (isDuplicateKeyError(error))
        throw new DomainError('brand_exists', `Brand ${brand.id} already exists`);
      throw error;
    }
  }

  /** Registers the brand unless it exists (the predecessor registered brands on first use). */
  async ensure(brand: NewBrand): Promise<{ brand: BrandRecord; created: boolean }> {
    const existing = await this.findById(brand.id);
    if (existing) return { brand: existing, created: false };
    try {
      return { brand: await this.create(brand), created: true };
    } catch (error) {
      // Lost a race with another first use of the same brand: that one created it.
      if (error instanceof DomainError && error.code === 'brand_exists') {
        const winner = await this.findById(brand.id);
        if (winner) return { brand: winner, created: false };
      }
      throw error;
    }
  }

  async findById(id: string): Promise<BrandRecord | null> {
    const doc = await this.brands.findById(id, RECORD_FIELDS).lean<BrandLean>().exec();
    return doc ? toRecord(doc) : null;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.brands.exists({ _id: id }).exec()) !== null;
  }

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
      if (result.modifiedCount === 1) return { previousKeyExpiresAt };
    }
    throw new Error(
      `API key of brand ${brandId} kept changing during ${MAX_ROTATION_ATTEMPTS} rotation attempts`,
    );
  }

  /**
   * Atomically reserves `count` codes of one code space when at most `limit` would then be in
   * use; returns how many were in use, and whether the reservation was made.
   */
  async reserveCodeSpace(
    brandId: string,
    spaceKey: string,
    count: number,
    limit: number,
  ): Promise<{ reserved: boolean; inUse: number }> {
    const field = `codeSpaces.${spaceKey}`;
    if (count <= limit) {
      const before = await this.brands
        .findOneAndUpdate(
          { _id: brandId, $or: [{ [field]: { $exists: false } }, { [field]: { $lte: limit - count } }] },
          { $inc: { [field]: count } },
          // No projection: FerretDB's findAndModify does not implement "fields".
          { returnDocument: 'before' },
        )
        .lean<Pick<Brand, 'codeSpaces'>>()
        .exec();
      if (before) return { reserved: true, inUse: spaceCount(before, spaceKey) };
    }
    const current = await this.brands
      .findById(brandId, { [field]: 1 })
      .lean<Pick<Brand, 'codeSpaces'>>()
      .exec();
    if (!current) throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
    return { reserved: false, inUse: spaceCount(current, spaceKey) };
  }

  /** Gives back the part of a reservation that was not used (a generation that stopped early). */
  async releaseCodeSpace(brandId: string, spaceKey: string, count: number): Promise<void> {
    if (count <= 0) return;
    await this.brands.updateOne({ _id: brandId }, { $inc: { [`codeSpaces.${spaceKey}`]: -count } }).exec();
  }

  async recordClaimNotified(brandId: string): Promise<void> {
    await this.brands.updateOne({ _id: brandId }, { $inc: { claimedNotified: 1 } }).exec();
  }
}

/** Hashes of keys, not keys; compared in constant time anyway, like every credential. */
function sameHash(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Lean documents hold Maps as plain objects. */
function spaceCount(doc: Pick<Brand, 'codeSpaces'>, spaceKey: string): number {
  const spaces = doc.codeSpaces as unknown as Record<string, number> | undefined;
  return spaces?.[spaceKey] ?? 0;
}
