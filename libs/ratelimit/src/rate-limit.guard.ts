import { CanActivate, ExecutionContext, Injectable, mixin, type Type } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientKeyOf } from './client-key';
import { RateLimiter } from './rate-limiter';

/** What a request is counted under; null exempts it (an admin, say). */
export type RateKeyOf = (request: FastifyRequest) => string | null;

/**
 * The client's address as Fastify sees it (the socket peer, or the X-Forwarded-For hop chosen by
 * TRUST_PROXY), IPv6 by its /64. Never read the header directly: without a trusted proxy anyone
 * can write it.
 */
export const byClientIp = (request: FastifyRequest): string => clientKeyOf(request.ip);

/**
 * A guard counting each request against one policy: `@UseGuards(JwtUserGuard,
 * RateLimitGuard('claimsPerUser', byUser))`. A factory rather than metadata so that the place in
 * the guard list is explicit: a per-user limit must run after the guard that finds the user.
 */
export function RateLimitGuard(policy: string, keyOf: RateKeyOf): Type<CanActivate> {
  @Injectable()
  class PolicyRateLimitGuard implements CanActivate {
    constructor(private readonly limiter: RateLimiter) {
      limiter.assertPolicy(policy);
    }

    canActivate(context: ExecutionContext): boolean {
      const key = keyOf(context.switchToHttp().getRequest<FastifyRequest>());
      if (key !== null) this.limiter.take(policy, key);
      return true;
    }
  }
  return mixin(PolicyRateLimitGuard);
}
