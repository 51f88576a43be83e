import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DomainError } from '@app/contracts';
import { isDuplicateKeyError } from '../mongo-errors';
import { escapeRegExp } from './escape-regexp';
import { Brand, type AutoReplenishSettings } from './brand.schema';
import {
  POOL_SETTINGS_FIELDS,
  RECORD_FIELDS,
  toRecord,
  type BrandChanges,
  type BrandLean,
  type BrandRecord,
  type BrandSettings,
  type NewBrand,
} from './brand-record';

export interface BrandListPage {
  readonly limit: number;
  /** The id of the previous page's last brand. */
  readonly afterId?: string;
  readonly namePrefix?: string;
}

@Injectable()
export class BrandsRepository {
  constructor(@InjectModel(Brand.name) private readonly brands: Model<Brand>) {}

  async create(brand: NewBrand): Promise<BrandRecord> {
    try {
      const { id, ...fields } = brand;
      const doc = await this.brands.create({ _id: id, ...fields });
      return toRecord(doc.toObject());
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

  /**
   * A brand's pool settings only. The provider reads brands through this: it faces the internet
   * and has no business with the webhook (its URL and secret are never even selected).
   */
  async findPoolSettings(
    id: string,
  ): Promise<Pick<BrandSettings, 'poolLowThreshold' | 'autoReplenish'> | null> {
    const doc = await this.brands
      .findById(id, POOL_SETTINGS_FIELDS)
      .lean<Pick<Brand, '_id' | 'poolLowThreshold' | 'autoReplenish'>>()
      .exec();
    if (!doc) return null;
    return {
      ...(doc.poolLowThreshold !== undefined && doc.poolLowThreshold !== null
        ? { poolLowThreshold: doc.poolLowThreshold }
        : {}),
      ...(doc.autoReplenish ? { autoReplenish: doc.autoReplenish } : {}),
    };
  }

  async findById(id: string): Promise<BrandRecord | null> {
    const doc = await this.brands.findById(id, RECORD_FIELDS).lean<BrandLean>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** The brand, or brand_not_found: the one place a missing brand is answered. */
  async get(id: string): Promise<BrandRecord> {
    const brand = await this.findById(id);
    if (!brand) throw brandNotFound(id);
    return brand;
  }

  /**
   * A page of brands in id order after `afterId`, those whose name starts with `namePrefix` when
   * given (as typed, case-sensitive: the prefix is escaped, never read as a pattern).
   */
  async list(page: BrandListPage): Promise<BrandRecord[]> {
    const docs = await this.brands
      .find(
        {
          ...(page.afterId !== undefined ? { _id: { $gt: page.afterId } } : {}),
          ...(page.namePrefix ? { name: new RegExp(`^${escapeRegExp(page.namePrefix)}`) } : {}),
        },
        RECORD_FIELDS,
      )
      .sort({ _id: 1 })
      .limit(page.limit)
      .lean<BrandLean[]>()
      .exec();
    return docs.map(toRecord);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.brands.exists({ _id: id }).exec()) !== null;
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
    if (!current) throw brandNotFound(brandId);
    return { reserved: false, inUse: spaceCount(current, spaceKey) };
  }

  /** Gives back the part of a reservation that was not used (a generation that stopped early). */
  async releaseCodeSpace(brandId: string, spaceKey: string, count: number): Promise<void> {
    if (count <= 0) return;
    await this.brands.updateOne({ _id: brandId }, { $inc: { [`codeSpaces.${spaceKey}`]: -count } }).exec();
  }

  /**
   * Counts codes that exist although their reservation was already given back (a chunk that was
   * still storing when its job was cancelled): the capacity check must keep seeing them.
   */
  async addToCodeSpace(brandId: string, spaceKey: string, count: number): Promise<void> {
    if (count <= 0) return;
    await this.brands.updateOne({ _id: brandId }, { $inc: { [`codeSpaces.${spaceKey}`]: count } }).exec();
  }

  /** Applies `changes`; resolves the brand as it is afterwards, or null when there is no such brand. */
  async update(id: string, changes: BrandChanges): Promise<BrandRecord | null> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ''> = {};
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (value === null) $unset[field] = '';
      else $set[field] = value;
    }
    const update = {
      ...(Object.keys($set).length > 0 ? { $set } : {}),
      ...(Object.keys($unset).length > 0 ? { $unset } : {}),
    };
    if (Object.keys(update).length > 0) {
      const result = await this.brands.updateOne({ _id: id }, update).exec();
      if (result.matchedCount === 0) return null;
    }
    return this.findById(id);
  }

  /** Marks the brand as redeeming codes, once: a later call finds it marked and writes nothing. */
  async markRedeeming(brandId: string, at: Date): Promise<void> {
    await this.brands
      .updateOne({ _id: brandId, redeemingSince: null }, { $set: { redeemingSince: at } })
      .exec();
  }

  async addClaimsNotified(brandId: string, count: number): Promise<void> {
    if (count <= 0) return;
    await this.brands.updateOne({ _id: brandId }, { $inc: { claimedNotified: count } }).exec();
  }

  /**
   * Takes the brand's replenishment turn when none started within `cooldownMs`; resolves the
   * brand's auto-replenish settings when the turn is ours, null otherwise (or when there is no
   * such brand: callers check existence first).
   */
  async startReplenishment(
    brandId: string,
    now: Date,
    cooldownMs: number,
  ): Promise<{ autoReplenish?: AutoReplenishSettings } | null> {
    const doc = await this.brands
      .findOneAndUpdate(
        {
          _id: brandId,
          $or: [
            { lastReplenishAt: { $exists: false } },
            { lastReplenishAt: { $lte: new Date(now.getTime() - cooldownMs) } },
          ],
        },
        { $set: { lastReplenishAt: now } },
        { returnDocument: 'after' },
      )
      .lean<Pick<Brand, 'autoReplenish'>>()
      .exec();
    return doc ? { ...(doc.autoReplenish ? { autoReplenish: doc.autoReplenish } : {}) } : null;
  }

  async isPoolLowHandled(brandId: string, eventId: string): Promise<boolean> {
    return (await this.brands.exists({ _id: brandId, lastPoolLowEventId: eventId }).exec()) !== null;
  }

  /** Records a pool.low event as handled; false when it already was (a redelivery, another replica's copy). */
  async markPoolLowHandled(brandId: string, eventId: string): Promise<boolean> {
    const result = await this.brands
      .updateOne(
        { _id: brandId, lastPoolLowEventId: { $ne: eventId } },
        { $set: { lastPoolLowEventId: eventId } },
      )
      .exec();
    return result.modifiedCount === 1;
  }
}

/** Lean documents hold Maps as plain objects. */
function spaceCount(doc: Pick<Brand, 'codeSpaces'>, spaceKey: string): number {
  const spaces = doc.codeSpaces as unknown as Record<string, number> | undefined;
  return spaces?.[spaceKey] ?? 0;
}

const brandNotFound = (id: string): DomainError =>
  new DomainError('brand_not_found', `Brand ${id} does not exist`);
