import { randomBytes } from 'node:crypto';

/** Why a code cannot be redeemed now (a validation's answer, a refused redemption's detail). */
export const REDEMPTION_REFUSALS = [
  'unknown_code',
  'not_claimed',
  'claimed_by_other',
  'expired',
  'campaign_not_active',
  'already_redeemed',
] as const;
export type RedemptionRefusal = (typeof REDEMPTION_REFUSALS)[number];

const SEPARATOR = '.';

/**
 * A redemption id names its code (base64url, so any code fits in a URL) and a random part: a
 * rollback finds the code through the brand's unique {brandId, code} index, on the brand's shard,
 * with no index of its own.
 */
export function newRedemptionId(code: string): string {
  return `${Buffer.from(code, 'utf8').toString('base64url')}${SEPARATOR}${randomBytes(12).toString('base64url')}`;
}

/** The code a redemption id names, or null when the id cannot be one. */
export function codeOfRedemptionId(redemptionId: string): string | null {
  const match = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{16})$/.exec(redemptionId);
  if (!match) return null;
  const code = Buffer.from(match[1]!, 'base64url').toString('utf8');
  // base64url decoding is lenient: only an id that encodes back to itself names a code.
  return Buffer.from(code, 'utf8').toString('base64url') === match[1] ? code : null;
}
