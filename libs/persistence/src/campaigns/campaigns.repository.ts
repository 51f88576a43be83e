import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DEFAULT_CAMPAIGN_ID, DomainError } from '@app/contracts';
import { isDuplicateKeyError } from '../mongo-errors';
import { Campaign, type CampaignCodeFormat } from './campaign.schema';

export interface CampaignRecord {
  readonly brandId: string;
  readonly campaignId: string;
  readonly name: string;
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  readonly format?: CampaignCodeFormat;
  readonly perUserLimit: number;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Absent for the default campaign, which is never stored. */
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
}

export type NewCampaign = Omit<CampaignRecord, 'createdAt' | 'updatedAt'>;

/** A PATCH: null removes a field that may be absent. */
export interface CampaignChanges {
  readonly name?: string;
  readonly startsAt?: Date | null;
  readonly endsAt?: Date | null;
  readonly format?: CampaignCodeFormat | null;
  readonly perUserLimit?: number;
  readonly metadata?: Readonly<Record<string, string>> | null;
}

/**
 * The default campaign every brand has: no dates, one code per user, the brand's own formats.
 * Not stored, so brands from before campaigns have it without a migration.
 */
export function defaultCampaign(brandId: string): CampaignRecord {
  return { brandId, campaignId: DEFAULT_CAMPAIGN_ID, name: 'Default campaign', perUserLimit: 1 };
}

/** Whether claims and redemptions are open at `now` (startsAt inclusive, endsAt exclusive). */
export function isCampaignActive(campaign: Pick<CampaignRecord, 'startsAt' | 'endsAt'>, now: Date): boolean {
  const t = now.getTime();
  return (
    (!campaign.startsAt || campaign.startsAt.getTime() <= t) &&
    (!campaign.endsAt || t < campaign.endsAt.getTime())
  );
}

const FIELDS = {
  _id: 0,
  brandId: 1,
  campaignId: 1,
  name: 1,
  startsAt: 1,
  endsAt: 1,
  format: 1,
  perUserLimit: 1,
  metadata: 1,
  createdAt: 1,
  updatedAt: 1,
} as const;

@Injectable()
export class CampaignsRepository {
  constructor(@InjectModel(Campaign.name) private readonly campaigns: Model<Campaign>) {}

  async create(campaign: NewCampaign): Promise<CampaignRecord> {
    if (campaign.campaignId === DEFAULT_CAMPAIGN_ID) throw exists(campaign);
    try {
      const doc = await this.campaigns.create(campaign);
      return withoutNulls(doc.toObject());
    } catch (error) {
      if (isDuplicateKeyError(error)) throw exists(campaign);
      throw error;
    }
  }

  /** The campaign, the default one included (whether the brand exists is the caller's question). */
  async find(brandId: string, campaignId: string): Promise<CampaignRecord | null> {
    if (campaignId === DEFAULT_CAMPAIGN_ID) return defaultCampaign(brandId);
    const doc = await this.campaigns.findOne({ brandId, campaignId }, FIELDS).lean<CampaignRecord>().exec();
    return doc ? withoutNulls(doc) : null;
  }

  /** A page of the brand's stored campaigns in id order, after the cursor's id. */
  async list(brandId: string, limit: number, afterId?: string): Promise<CampaignRecord[]> {
    const docs = await this.campaigns
      .find({ brandId, ...(afterId !== undefined ? { campaignId: { $gt: afterId } } : {}) }, FIELDS)
      .sort({ brandId: 1, campaignId: 1 })
      .limit(limit)
      .lean<CampaignRecord[]>()
      .exec();
    return docs.map(withoutNulls);
  }

  /** Applies `changes` to a stored campaign; resolves it as it is afterwards, or null when there is none. */
  async update(
    brandId: string,
    campaignId: string,
    changes: CampaignChanges,
  ): Promise<CampaignRecord | null> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ''> = {};
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (value === null) $unset[field] = '';
      else $set[field] = value;
    }
    const doc = await this.campaigns
      .findOneAndUpdate(
        { brandId, campaignId },
        { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) },
        // No projection: FerretDB's findAndModify does not implement "fields"; withoutNulls drops _id.
        { new: true },
      )
      .lean<CampaignRecord>()
      .exec();
    return doc ? withoutNulls(doc) : null;
  }
}

function exists(campaign: Pick<CampaignRecord, 'brandId' | 'campaignId'>): DomainError {
  return new DomainError(
    'campaign_exists',
    `Campaign ${campaign.campaignId} of brand ${campaign.brandId} already exists`,
  );
}

/** Stored documents may carry nulls or _id; records have absent fields instead. */
function withoutNulls(doc: CampaignRecord): CampaignRecord {
  return Object.fromEntries(
    Object.entries(doc).filter(([key, value]) => value !== null && value !== undefined && key !== '_id'),
  ) as unknown as CampaignRecord;
}
