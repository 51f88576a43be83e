import type { AuthenticatedRequest } from './request-auth';

/**
 * Who is calling, as one string, for state kept per caller (idempotency keys): the admin, a brand
 * (whichever of its keys: a rotation must not change who it is), a user of a JWT, or a keyless
 * quickstart caller by IP. Undefined on a route no guard has identified the caller of.
 */
export function callerScopeOf(request: AuthenticatedRequest): string | undefined {
  if (request.userId !== undefined) return `user:${request.userId}`;
  const principal = request.principal;
  switch (principal?.kind) {
    case 'admin':
      return 'admin';
    case 'brand':
      return `brand:${principal.brandId}`;
    case 'open':
      return `open:${request.ip}`;
    case undefined:
      return undefined;
  }
}
