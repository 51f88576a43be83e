import { CanActivate, ExecutionContext, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import { BrandsRepository } from '@app/persistence';
import { AUTH_OPTIONS, type AuthOptions } from './auth-options';
import { bearerToken } from './bearer';
import { hashApiKey, looksLikeApiKey, safeEqual } from './credentials';
import { JwtVerifier } from './jwt-verifier';
import { assertCanActOnBrand, type BrandPrincipal } from './principal';
import { requestOf } from './request-auth';

const missingToken = () =>
  new DomainError('unauthorized', 'Missing credentials: send "Authorization: Bearer <token>"');

/** Admin-only routes: the bearer token must be ADMIN_TOKEN. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(AUTH_OPTIONS) private readonly options: AuthOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(requestOf(context).headers.authorization);
    if (!token) throw missingToken();
    if (!safeEqual(token, this.options.adminToken))
      throw new DomainError('unauthorized', 'Invalid admin token');
    requestOf(context).principal = { kind: 'admin' };
    return true;
  }
}

/**
 * Brand-facing routes: the admin token or a brand's API key. When the route has a :brandId, the
 * key must belong to that brand; handlers with the brand elsewhere call assertCanActOnBrand.
 */
@Injectable()
export class BrandGuard implements CanActivate {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly brands: BrandsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context);
    const principal = await this.authenticate(bearerToken(request.headers.authorization));
    const { brandId } = (request.params ?? {}) as { brandId?: string };
    if (brandId !== undefined) assertCanActOnBrand(principal, brandId);
    request.principal = principal;
    return true;
  }

  private async authenticate(token: string | null): Promise<BrandPrincipal> {
    if (!token) {
      if (this.options.openBrandApi) return { kind: 'open' };
      throw missingToken();
    }
    if (safeEqual(token, this.options.adminToken)) return { kind: 'admin' };
    if (looksLikeApiKey(token)) {
      const brandId = await this.brands.findIdByApiKeyHash(hashApiKey(token));
      if (brandId) return { kind: 'brand', brandId };
    }
    throw new DomainError('unauthorized', 'Invalid API key');
  }
}

/** User-facing v1 routes: a JWT whose `sub` is the user id. */
@Injectable()
export class JwtUserGuard implements CanActivate {
  constructor(@Optional() private readonly verifier?: JwtVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.verifier) {
      new Logger(JwtUserGuard.name).error('JwtUserGuard used without JWT configuration');
      throw new DomainError('service_unavailable', 'User authentication is not configured');
    }
    const request = requestOf(context);
    const token = bearerToken(request.headers.authorization);
    if (!token) throw missingToken();
    request.userId = await this.verifier.userIdOf(token);
    return true;
  }
}
