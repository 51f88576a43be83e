import { Injectable } from '@nestjs/common';
import { DEFAULT_CAMPAIGN_ID, DomainError, ID_PATTERN, storedCampaignId } from '@app/contracts';
import { decodeCursor, encodeCursor, invalidCursor, pageLimit, pageOf } from '@app/http';
import {
  CampaignsRepository,
  CodeInventoryRepository,
  defaultCampaign,
  type CampaignRecord,
} from '@app/persistence';
import { BrandsService } from '../brands/brands.service';
import {
  CAMPAIGNS_PAGE,
  type CampaignPageResponse,
  type CampaignResponse,
  type CampaignStatsResponse,
  type CreateCampaignRequest,
  type ListCampaignsQuery,
  type UpdateCampaignRequest,
} from './campaign.dto';
import { assertDatesInOrder, campaignChangesOf, campaignFormatOf, datesAfter } from './campaign-rules';

/** A brand's campaigns: the default one every brand has, and those it creates. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly brands: BrandsService,
    private readonly inventory: CodeInventoryRepository,
  ) {}

  async create(brandId: string, request: CreateCampaignRequest): Promise<CampaignResponse> {
    const startsAt = request.startsAt ? new Date(request.startsAt) : undefined;
    const endsAt = request.endsAt ? new Date(request.endsAt) : undefined;
    assertDatesInOrder(startsAt, endsAt);
    const format = request.format ? campaignFormatOf(request.format) : undefined;
    const brand = await this.brands.get(brandId);
    const created = await this.campaigns.create({
      brandId,
      campaignId: request.campaignId,
      name: request.name,
      ...(startsAt ? { startsAt } : {}),
      ...(endsAt ? { endsAt } : {}),
      ...(format ? { format } : {}),
      perUserLimit: request.perUserLimit ?? 1,
      ...(request.metadata ? { metadata: { ...request.metadata } } : {}),
    });
    return toCampaignResponse(created, brand.createdAt);
  }

  async get(brandId: string, campaignId: string): Promise<CampaignResponse> {
    const brand = await this.brands.get(brandId);
    return toCampaignResponse(await this.findOf(brandId, campaignId), brand.createdAt);
  }

  /** The default campaign first (it is not stored), then the stored ones in id order. */
  async list(brandId: string, query: ListCampaignsQuery): Promise<CampaignPageResponse> {
    const limit = pageLimit(query.limit, CAMPAIGNS_PAGE);
    const after = query.cursor === undefined ? undefined : decodeCampaignCursor(query.cursor);
    const brand = await this.brands.get(brandId);
    // One row more than shown tells whether there is a next page; the first page's default
    // campaign takes one of its places.
    const rows =
      after === undefined
        ? [defaultCampaign(brandId), ...(await this.campaigns.list(brandId, limit))]
        : await this.campaigns.list(brandId, limit + 1, after === DEFAULT_CAMPAIGN_ID ? undefined : after);
    const page = pageOf(rows, limit, (last) => encodeCursor([last.campaignId]));
    return {
      items: page.items.map((campaign) => toCampaignResponse(campaign, brand.createdAt)),
      nextCursor: page.nextCursor,
    };
  }

  /** Changes a created campaign; the default one stands for the brand-level routes and stays as it is. */
  async update(
    brandId: string,
    campaignId: string,
    request: UpdateCampaignRequest,
  ): Promise<CampaignResponse> {
    const changes = campaignChangesOf(request);
    const brand = await this.brands.get(brandId);
    if (campaignId === DEFAULT_CAMPAIGN_ID) {
      throw new DomainError(
        'invalid_state',
        'The default campaign cannot be changed: it is what the brand-level routes use. Create a campaign ' +
          '(POST /v1/brands/{brandId}/campaigns) for dates, a per-user limit, a format or metadata',
      );
    }
    const current = await this.findOf(brandId, campaignId);
    const dates = datesAfter(current, changes);
    assertDatesInOrder(dates.startsAt, dates.endsAt);
    if (Object.keys(changes).length === 0) return toCampaignResponse(current, brand.createdAt);
    const updated = await this.campaigns.update(brandId, campaignId, changes);
    if (!updated) throw campaignNotFound(brandId, campaignId);
    return toCampaignResponse(updated, brand.createdAt);
  }

  async stats(brandId: string, campaignId: string): Promise<CampaignStatsResponse> {
    await this.require(brandId, campaignId);
    // The default campaign's codes carry no campaignId: null finds them, and only them.
    const stored = storedCampaignId(campaignId) ?? null;
    const [counts, redemptions] = await Promise.all([
      this.inventory.countByStatus(brandId, new Date(), stored),
      this.inventory.countRedemptions(brandId, stored),
    ]);
    return { brandId, campaignId, ...counts, ...redemptions };
  }

  /** The campaign of an existing brand, or brand_not_found / campaign_not_found. */
  async require(brandId: string, campaignId: string): Promise<CampaignRecord> {
    await this.brands.get(brandId);
    return this.findOf(brandId, campaignId);
  }

  private async findOf(brandId: string, campaignId: string): Promise<CampaignRecord> {
    const campaign = await this.campaigns.find(brandId, campaignId);
    if (!campaign) throw campaignNotFound(brandId, campaignId);
    return campaign;
  }
}

const campaignNotFound = (brandId: string, campaignId: string): DomainError =>
  new DomainError('campaign_not_found', `Brand ${brandId} has no campaign ${campaignId}`);

/** A cursor names the last campaign shown: "default" when the page ended with the default one. */
function decodeCampaignCursor(cursor: string): string {
  const [campaignId] = decodeCursor(cursor, 1) as [string];
  if (!ID_PATTERN.test(campaignId)) throw invalidCursor();
  return campaignId;
}

/** The API view of a campaign; the default campaign dates from its brand. */
export function toCampaignResponse(campaign: CampaignRecord, brandCreatedAt: Date): CampaignResponse {
  const createdAt = campaign.createdAt ?? brandCreatedAt;
  return {
    brandId: campaign.brandId,
    campaignId: campaign.campaignId,
    name: campaign.name,
    startsAt: campaign.startsAt?.toISOString() ?? null,
    endsAt: campaign.endsAt?.toISOString() ?? null,
    format: campaign.format
      ? {
          length: campaign.format.length ?? null,
          prefix: campaign.format.prefix ?? null,
          alphabet: campaign.format.alphabet ?? null,
        }
      : null,
    perUserLimit: campaign.perUserLimit,
    metadata: campaign.metadata ? { ...campaign.metadata } : null,
    createdAt: createdAt.toISOString(),
    updatedAt: (campaign.updatedAt ?? createdAt).toISOString(),
  };
}
