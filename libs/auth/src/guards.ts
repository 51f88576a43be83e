import { CanActivate, ExecutionContext, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import { BrandApiKeysRepository } from '@app/persistence';
import { AuthFailureLockout, byClientIp } from '@app/ratelimit';
import { assertAdminPort } from './admin-port';
import { AUTH_OPTIONS, type AuthOptions } from './auth-options';
import { bearerToken } from './bearer';
import { hashApiKey, looksLikeApiKey, safeEqual } from './credentials';
import { JwtVerifier, TokenNotCurrentError } from './jwt-verifier';
import { assertCanActOnBrand, type BrandPrincipal } from './principal';
import { requestOf, type AuthenticatedRequest } from './request-auth';

/**
 * The lockout policy the guards count wrong admin tokens, API keys and JWTs under, per client IP.
 * A missing Authorization header is not a guess and does not count, nor does the right admin token
 * on the wrong port (admin_port_only).
 */
export const AUTH_FAILURES_PER_IP = 'authFailuresPerIp';

/** A wrong credential, as opposed to a genuine token used out of its time or a key-server outage. */
const isWrongCredential = (error: unknown) =>
  error instanceof DomainError && error.code === 'unauthorized' && !(error instanceof TokenNotCurrentError);

const missingToken = () =>
  new DomainError('unauthorized', 'Missing credentials: send "Authorization: Bearer <token>"');

/**
 * Checks a presented credential under the per-IP lockout when the app has one (RateLimitModule),
 * else directly. These credentials are cheap to check (an HMAC, a comparison, an indexed lookup),
 * so the check comes first and the shared lockout store is consulted only for a wrong one: a
 * valid credential costs no round trip, and is still refused while its IP is known to be locked
 * out (AuthFailureLockout.verify says how soon a replica knows).
 */
abstract class CredentialGuard {
  constructor(private readonly lockout: AuthFailureLockout | undefined) {
    lockout?.assertPolicy(AUTH_FAILURES_PER_IP);
  }

  protected verify<T>(request: AuthenticatedRequest, check: () => Promise<T>): Promise<T> {
    if (!this.lockout) return check();
    return this.lockout.verify(AUTH_FAILURES_PER_IP, byClientIp(request), check, {
      countsAsFailure: isWrongCredential,
    });
  }
}

/** Admin-only routes: the bearer token must be ADMIN_TOKEN, on the admin port when there is one. */
@Injectable()
export class AdminGuard extends CredentialGuard implements CanActivate {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Optional() lockout?: AuthFailureLockout,
  ) {
    super(lockout);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context);
    const token = bearerToken(request.headers.authorization);
    if (!token) throw missingToken();
    request.principal = await this.verify(request, () => {
      if (!safeEqual(token, this.options.adminToken))
        throw new DomainError('unauthorized', 'Invalid admin token');
      assertAdminPort(request, this.options.adminPort);
      return Promise.resolve({ kind: 'admin' } as const);
    });
    return true;
  }
}

/**
 * Brand-facing routes: the admin token or a brand's API key (its current one, or the one a
 * rotation replaced while its grace period lasts). When the route has a :brandId, the key must
 * belong to that brand; handlers with the brand elsewhere call assertCanActOnBrand.
 */
@Injectable()
export class BrandGuard extends CredentialGuard implements CanActivate {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly apiKeys: BrandApiKeysRepository,
    @Optional() lockout?: AuthFailureLockout,
  ) {
    super(lockout);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context);
    const token = bearerToken(request.headers.authorization);
    let principal: BrandPrincipal;
    if (token) {
      principal = await this.verify(request, () => this.authenticate(request, token));
    } else if (this.options.openBrandApi) {
      principal = { kind: 'open' };
    } else {
      throw missingToken();
    }
    const { brandId } = (request.params ?? {}) as { brandId?: string };
    if (brandId !== undefined) assertCanActOnBrand(principal, brandId);
    request.principal = principal;
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, token: string): Promise<BrandPrincipal> {
    if (safeEqual(token, this.options.adminToken)) {
      assertAdminPort(request, this.options.adminPort);
      return { kind: 'admin' };
    }
    if (looksLikeApiKey(token)) {
      const match = await this.apiKeys.findByApiKeyHash(hashApiKey(token), new Date());
      if (match) return { kind: 'brand', brandId: match.brandId, previousKey: match.previous };
    }
    throw new DomainError('unauthorized', 'Invalid API key');
  }
}

/** User-facing v1 routes: a JWT whose `sub` is the user id. */
@Injectable()
export class JwtUserGuard extends CredentialGuard implements CanActivate {
  constructor(
    @Optional() private readonly verifier?: JwtVerifier,
    @Optional() lockout?: AuthFailureLockout,
  ) {
    super(lockout);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const verifier = this.verifier;
    if (!verifier) {
      new Logger(JwtUserGuard.name).error('JwtUserGuard used without JWT configuration');
      throw new DomainError('service_unavailable', 'User authentication is not configured');
    }
    const request = requestOf(context);
    const token = bearerToken(request.headers.authorization);
    if (!token) throw missingToken();
    request.userId = await this.verify(request, () => verifier.userIdOf(token));
    return true;
  }
}
