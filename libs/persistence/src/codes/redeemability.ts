import type { RedemptionRefusal } from '@app/contracts';
import type { CodeRedemption, CodeStatus } from './code.schema';

/** What deciding a code's redeemability needs of it. */
export interface RedeemableView {
  readonly status: CodeStatus;
  readonly claimedBy?: string;
  readonly expiresAt?: Date;
  readonly redemption?: Pick<CodeRedemption, 'orderId'>;
}

/**
 * Why the code cannot be redeemed by this user now, or null when it can. The order in which the
 * reasons are tried is the answer's: a redeemed code is `already_redeemed` whoever asks (even
 * after its expiry), a claimed one someone else's before it is an expired one.
 */
export function redemptionRefusal(
  code: RedeemableView | null,
  request: { readonly userId?: string; readonly now: Date },
): RedemptionRefusal | null {
  if (!code) return 'unknown_code';
  if (code.status === 'redeemed') return 'already_redeemed';
  if (code.status !== 'claimed') return code.status === 'expired' ? 'expired' : 'not_claimed';
  if (request.userId !== undefined && code.claimedBy !== request.userId) return 'claimed_by_other';
  if (code.expiresAt && code.expiresAt.getTime() <= request.now.getTime()) return 'expired';
  return null;
}
