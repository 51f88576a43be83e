import type { AuthenticatedRequest } from '@app/auth';
import { byClientIp, type RateKeyOf } from '@app/ratelimit';

/**
 * Generation is counted per brand, whichever of its keys is used (a rotation must not double the
 * allowance); keyless quickstart callers per IP. The admin is not limited.
 */
export const byBrand: RateKeyOf = (request) => {
  const principal = (request as AuthenticatedRequest).principal;
  switch (principal?.kind) {
    case 'brand':
      return `brand:${principal.brandId}`;
    case 'open':
      return `open:${byClientIp(request)}`;
    case 'admin':
    case undefined:
      return null;
  }
};
