import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import { BrandsRepository, CampaignsRepository, type CampaignRecord } from '@app/persistence';
import { PromiseCache } from '@app/scheduling';

/**
 * How long a replica keeps a campaign it read. A PATCH of the campaign through the generator
 * (its dates, its perUserLimit) reaches each provider replica within this time: until then a
 * replica may still accept claims up to the old endsAt or the old limit, or refuse them before
 * the new startsAt. The dates themselves are compared with the clock on every claim.
 */
export const CAMPAIGN_CACHE_TTL_MS = 5_000;
/** A few hundred bytes each: at most a few MB per replica. */
const CAMPAIGN_CACHE_MAX_ENTRIES = 10_000;

/**
 * The campaigns claims act on, read once per replica per CAMPAIGN_CACHE_TTL_MS so that a burst
 * of claims in one campaign costs no extra read (concurrent claims share one). An unknown
 * campaign is not kept (the failed load is forgotten at once): a campaign is claimable as soon as
 * the generator created it.
 */
@Injectable()
export class CampaignCache {
  private readonly campaigns = new PromiseCache<CampaignRecord>({
    ttlMs: CAMPAIGN_CACHE_TTL_MS,
    maxEntries: CAMPAIGN_CACHE_MAX_ENTRIES,
  });

  constructor(
    private readonly repository: CampaignsRepository,
    private readonly brands: BrandsRepository,
  ) {}

  /** The campaign; DomainError brand_not_found or campaign_not_found when there is none. */
  get(brandId: string, campaignId: string): Promise<CampaignRecord> {
    return this.campaigns.get(`${brandId}\u0000${campaignId}`, () => this.load(brandId, campaignId));
  }

  private async load(brandId: string, campaignId: string): Promise<CampaignRecord> {
    const campaign = await this.repository.find(brandId, campaignId);
    if (campaign) return campaign;
    // Campaigns are only created for existing brands (and brands are never removed): the brand
    // is read only to tell the caller which of the two is unknown.
    if (!(await this.brands.exists(brandId))) {
      throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
    }
    throw new DomainError('campaign_not_found', `Campaign ${campaignId} of brand ${brandId} does not exist`);
  }
}
