import type { CodeClaimedV1 } from '@app/contracts';
import type { ClaimedCode } from '@app/persistence';

/** The code.claimed event of a stored claim; the same every time it is built (same id). */
export function claimEventOf(claim: ClaimedCode): CodeClaimedV1 {
  return {
    eventId: claim.eventId,
    type: 'code.claimed',
    version: 1,
    brandId: claim.brandId,
    code: claim.code,
    userId: claim.userId,
    claimedAt: claim.claimedAt.toISOString(),
  };
}
