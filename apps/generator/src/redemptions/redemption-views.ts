import { DEFAULT_CAMPAIGN_ID, type RedemptionRefusal } from '@app/contracts';
import type { CodeRedemption, RedeemableCode } from '@app/persistence';
import type { RedemptionResponse, ValidationResponse } from './redemption.dto';

/** The campaign a code is in: codes of the default campaign store none. */
export const campaignOf = (code: Pick<RedeemableCode, 'campaignId'>): string =>
  code.campaignId ?? DEFAULT_CAMPAIGN_ID;

/** What each refusal means, for the message of a refused redemption. */
export const REFUSAL_EXPLANATIONS: Readonly<Record<RedemptionRefusal, string>> = {
  unknown_code: 'the brand has no such code',
  not_claimed: 'nobody has claimed it',
  claimed_by_other: 'another user holds it',
  expired: 'it has expired',
  campaign_not_active: 'its campaign is not running now',
  already_redeemed: 'it has been redeemed already',
};

export function toRedemptionResponse(
  code: Pick<RedeemableCode, 'brandId' | 'campaignId' | 'code'>,
  redemption: CodeRedemption,
): RedemptionResponse {
  return {
    redemptionId: redemption.id,
    brandId: code.brandId,
    campaignId: campaignOf(code),
    code: code.code,
    orderId: redemption.orderId,
    userId: redemption.userId ?? null,
    amount: redemption.amount ?? null,
    metadata: redemption.metadata ? { ...redemption.metadata } : null,
    redeemedAt: redemption.redeemedAt.toISOString(),
    rolledBackAt: redemption.rolledBackAt?.toISOString() ?? null,
    status: redemption.rolledBackAt ? 'rolled_back' : 'redeemed',
  };
}

/** A validation's answer about a code the brand has (`reason` null: it can be redeemed now). */
export function toValidationResponse(
  code: RedeemableCode,
  reason: RedemptionRefusal | null,
): ValidationResponse {
  return {
    valid: reason === null,
    reason,
    code: code.code,
    campaignId: campaignOf(code),
    status: code.status,
    ...(code.claimedBy !== undefined && code.claimedBy !== null ? { claimedBy: code.claimedBy } : {}),
    expiresAt: code.expiresAt?.toISOString() ?? null,
    ...(code.status === 'redeemed' && code.redemption
      ? { redemption: toRedemptionResponse(code, code.redemption) }
      : {}),
  };
}

/** A validation's answer about a code the brand does not have. */
export function unknownCodeValidation(code: string): ValidationResponse {
  return {
    valid: false,
    reason: 'unknown_code',
    code,
    campaignId: null,
    status: null,
    expiresAt: null,
  };
}

/**
 * The redemption `redemptionId` of the code, current or rolled back, or null. A code keeps its
 * current redemption while redeemed and each rolled-back one in its rolledBack list.
 */
export function findRedemption(code: RedeemableCode, redemptionId: string): CodeRedemption | null {
  if (code.status === 'redeemed' && code.redemption?.id === redemptionId) return code.redemption;
  return code.rolledBack?.find((r) => r.id === redemptionId) ?? null;
}
