import { Injectable } from '@nestjs/common';
import { DEFAULT_CAMPAIGN_ID, DomainError } from '@app/contracts';
import { captureTraceContext } from '@app/messaging';
import { CodeClaimsRepository, isCampaignActive, type ClaimedCode } from '@app/persistence';
import { CampaignCache } from '../campaigns/campaign-cache';
import { OutboxRelay } from '../outbox/outbox-relay';
import { ClaimCodeService } from './claim-code.service';

export interface CampaignClaimResult {
  readonly campaignId: string;
  /** The new claim when isNew, else the most recent code the user holds in the campaign. */
  readonly claim: ClaimedCode;
  /** Every code of the campaign the user holds, oldest first (the new claim included). */
  readonly held: readonly ClaimedCode[];
  readonly isNew: boolean;
}

/**
 * Claims in a campaign. The default campaign is exactly the brand-level claim (ClaimCodeService,
 * its single findOneAndUpdate and its replenishment), where a user holds one code; any other
 * campaign is read (cached), its dates checked, and claimed through the user's tickets, so a user
 * holds at most its perUserLimit codes however many claims race.
 */
@Injectable()
export class CampaignClaimService {
  constructor(
    private readonly brandClaims: ClaimCodeService,
    private readonly campaigns: CampaignCache,
    private readonly claims: CodeClaimsRepository,
    private readonly outbox: OutboxRelay,
  ) {}

  async claim(brandId: string, campaignId: string, userId: string): Promise<CampaignClaimResult> {
    if (campaignId === DEFAULT_CAMPAIGN_ID) {
      const { claim, isNew } = await this.brandClaims.claim(brandId, userId);
      return { campaignId, claim, held: [claim], isNew };
    }
    const campaign = await this.campaigns.get(brandId, campaignId);
    const now = new Date();
    if (!isCampaignActive(campaign, now)) {
      throw new DomainError(
        'campaign_not_active',
        `Campaign ${campaignId} of brand ${brandId} is not active`,
        {
          ...(campaign.startsAt ? { startsAt: campaign.startsAt.toISOString() } : {}),
          ...(campaign.endsAt ? { endsAt: campaign.endsAt.toISOString() } : {}),
        },
      );
    }
    const result = await this.claims.claimInCampaign(
      brandId,
      campaignId,
      userId,
      campaign.perUserLimit,
      now,
      captureTraceContext(),
    );
    switch (result.outcome) {
      case 'claimed':
        // Stored with its pending event (the outbox), like every claim: publishing must not hold
        // up or fail the response. No pool.low: that watches the default campaign, which
        // replenishment fills; a campaign's codes are what the brand put in it.
        this.outbox.publishSoon(result.code);
        return { campaignId, claim: result.code, held: result.held, isNew: true };
      case 'limit_reached':
      case 'none_available': {
        // The user's codes, when they hold any. No replenishment: the generator's replenish
        // command tops up the brand's default campaign, never another one, so it cannot help here.
        const latest = result.held.at(-1);
        if (latest) return { campaignId, claim: latest, held: result.held, isNew: false };
        throw new DomainError(
          'codes_exhausted',
          `No codes left in campaign ${campaignId} of brand ${brandId}`,
        );
      }
    }
  }
}
