import { Inject, Injectable } from '@nestjs/common';
import { codeOfRedemptionId, DomainError, type RedemptionRefusal } from '@app/contracts';
import {
  BrandsRepository,
  CampaignsRepository,
  CodeRedemptionsRepository,
  isCampaignActive,
  redemptionRefusal,
  type CampaignRecord,
  type RedeemableCode,
} from '@app/persistence';
import { REDEMPTIONS_CONFIG, type RedemptionsConfig } from '../generator.config';
import type {
  RedeemCodeRequest,
  RedemptionResponse,
  ValidateCodeRequest,
  ValidationResponse,
} from './redemption.dto';
import {
  campaignOf,
  findRedemption,
  REFUSAL_EXPLANATIONS,
  toRedemptionResponse,
  toValidationResponse,
  unknownCodeValidation,
} from './redemption-views';

export interface RedeemAnswer {
  /** The same order had redeemed the code before: its redemption, unchanged (200, not 201). */
  readonly replayed: boolean;
  readonly redemption: RedemptionResponse;
}

/**
 * Validation, redemption and rollback of a brand's codes at checkout. Whether the brand exists is
 * asked only when its code or redemption is not found: a code found under the brand proves it,
 * so the checkout's path costs no brand lookup.
 */
@Injectable()
export class RedemptionsService {
  constructor(
    private readonly codes: CodeRedemptionsRepository,
    private readonly campaigns: CampaignsRepository,
    private readonly brands: BrandsRepository,
    @Inject(REDEMPTIONS_CONFIG) private readonly config: RedemptionsConfig,
  ) {}

  /** Whether the code can be redeemed now, and why not; changes nothing. */
  async validate(brandId: string, request: ValidateCodeRequest): Promise<ValidationResponse> {
    const now = new Date();
    const code = await this.codes.find(brandId, request.code);
    if (!code) {
      await this.assertBrandExists(brandId);
      return unknownCodeValidation(request.code);
    }
    // The order of the checks is the redemption's: the campaign first, then the code itself.
    const inactive = await this.inactiveCampaign(code, now);
    const reason = inactive
      ? 'campaign_not_active'
      : redemptionRefusal(code, { userId: request.userId, now });
    return toValidationResponse(code, reason);
  }

  /** claimed → redeemed, or the order's earlier redemption of the code; refusals are DomainErrors. */
  async redeem(brandId: string, request: RedeemCodeRequest): Promise<RedeemAnswer> {
    const now = new Date();
    const current = await this.codes.find(brandId, request.code);
    if (!current) {
      await this.assertBrandExists(brandId);
      throw refused(request.code, 'unknown_code');
    }
    // A replay answers what was done, even once the campaign has ended since.
    if (current.status === 'redeemed' && current.redemption?.orderId === request.orderId) {
      return { replayed: true, redemption: toRedemptionResponse(current, current.redemption) };
    }
    const inactive = await this.inactiveCampaign(current, now);
    if (inactive) throw campaignNotActive(request.code, inactive);
    // Before the code is: stats count redemptions of brands marked so, and a redemption must not
    // exist uncounted (a refused one leaves the brand marked, counting zero).
    await this.brands.markRedeeming(brandId, now);
    const outcome = await this.codes.redeem({
      brandId,
      code: request.code,
      orderId: request.orderId,
      ...(request.userId !== undefined ? { userId: request.userId } : {}),
      ...(request.amount !== undefined ? { amount: request.amount } : {}),
      ...(request.metadata !== undefined ? { metadata: request.metadata } : {}),
      now,
    });
    switch (outcome.outcome) {
      case 'redeemed':
      case 'replayed':
        return {
          replayed: outcome.outcome === 'replayed',
          redemption: toRedemptionResponse(outcome.code, outcome.redemption),
        };
      case 'refused':
        throw refused(request.code, outcome.reason);
    }
  }

  /** redeemed → claimed within the rollback window; a repeat answers the same. */
  async rollback(brandId: string, redemptionId: string): Promise<RedemptionResponse> {
    const outcome = await this.codes.rollback(
      brandId,
      redemptionId,
      new Date(),
      this.config.rollbackWindowMs,
    );
    switch (outcome.outcome) {
      case 'rolled_back':
      case 'replayed':
        return toRedemptionResponse(outcome.code, outcome.redemption);
      case 'window_passed':
        throw new DomainError(
          'rollback_window_passed',
          `Redemption ${redemptionId} was made at ${outcome.redemption.redeemedAt.toISOString()}; ` +
            `it could be rolled back for ${this.config.rollbackWindowMs / 1_000} s ` +
            '(REDEMPTION_ROLLBACK_WINDOW_SECONDS) and stands',
          {
            redeemedAt: outcome.redemption.redeemedAt.toISOString(),
            rollbackWindowSeconds: this.config.rollbackWindowMs / 1_000,
          },
        );
      case 'not_found':
        return this.notFound(brandId, redemptionId);
    }
  }

  /** The redemption, current or rolled back. */
  async get(brandId: string, redemptionId: string): Promise<RedemptionResponse> {
    const codeString = codeOfRedemptionId(redemptionId);
    const code = codeString === null ? null : await this.codes.find(brandId, codeString);
    const redemption = code ? findRedemption(code, redemptionId) : null;
    if (!code || !redemption) return this.notFound(brandId, redemptionId);
    return toRedemptionResponse(code, redemption);
  }

  /** The code's campaign when it is outside its dates at `now`, else null. */
  private async inactiveCampaign(code: RedeemableCode, now: Date): Promise<CampaignRecord | null> {
    const campaign = await this.campaigns.find(code.brandId, campaignOf(code));
    // Campaigns are never deleted; a code whose campaign is not found has no dates to be outside of.
    return campaign && !isCampaignActive(campaign, now) ? campaign : null;
  }

  private async notFound(brandId: string, redemptionId: string): Promise<never> {
    await this.assertBrandExists(brandId);
    throw new DomainError('redemption_not_found', `Brand ${brandId} has no redemption ${redemptionId}`);
  }

  private async assertBrandExists(brandId: string): Promise<void> {
    await this.brands.get(brandId);
  }
}

/** A refused redemption: 404 code_not_found for an unknown code, else 409 code_not_redeemable. */
function refused(code: string, reason: RedemptionRefusal): DomainError {
  const message = `Code ${code} cannot be redeemed: ${reason} (${REFUSAL_EXPLANATIONS[reason]})`;
  return reason === 'unknown_code'
    ? new DomainError('code_not_found', message, { reason })
    : new DomainError('code_not_redeemable', message, { reason });
}

function campaignNotActive(code: string, campaign: CampaignRecord): DomainError {
  const dates = [
    campaign.startsAt ? `starts at ${campaign.startsAt.toISOString()}` : null,
    campaign.endsAt ? `ends at ${campaign.endsAt.toISOString()}` : null,
  ].filter((d) => d !== null);
  return new DomainError(
    'campaign_not_active',
    `Code ${code} cannot be redeemed: campaign_not_active (campaign ${campaign.campaignId} ${dates.join(' and ')})`,
    {
      reason: 'campaign_not_active',
      campaignId: campaign.campaignId,
      startsAt: campaign.startsAt?.toISOString() ?? null,
      endsAt: campaign.endsAt?.toISOString() ?? null,
    },
  );
}
