import { CanActivate, ExecutionContext, Injectable, mixin, type Type } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientKeyOf } from './client-key';
import { RATELIMIT_HEADER, RATELIMIT_POLICY_HEADER, withListMember } from './rate-limit-fields';
import { RateLimiter } from './rate-limiter';

/** What a request is counted under; null exempts it (an admin, say). */
export type RateKeyOf = (request: FastifyRequest) => string | null;

/**
 * The client's address as Fastify sees it (the socket peer, or the X-Forwarded-For hop chosen by
 * TRUST_PROXY), IPv6 by its /64. Never read the header directly: without a trusted proxy anyone
 * can write it.
 */
export const byClientIp = (request: FastifyRequest): string => clientKeyOf(request.ip);

/** Adds a member to a list field, after the members earlier guards of the route set. */
function addListMember(reply: FastifyReply, name: string, member: string): void {
  const current = reply.getHeader(name);
  void reply.header(name, withListMember(typeof current === 'string' ? current : undefined, member));
}

/**
 * A guard counting each request against one policy: `@UseGuards(JwtUserGuard,
 * RateLimitGuard('claimsPerUser', byUser))`. A factory rather than metadata so that the place in
 * the guard list is explicit: a per-user limit must run after the guard that finds the user.
 *
 * Every counted request is answered with the RateLimit-Policy and RateLimit fields, the 429 too:
 * they are set on the reply before the refusal is thrown, and the error filter keeps them.
 * Exempt callers (key null) and switched-off policies get neither: nothing limits them.
 */
export function RateLimitGuard(policy: string, keyOf: RateKeyOf): Type<CanActivate> {
  @Injectable()
  class PolicyRateLimitGuard implements CanActivate {
    /** Read by the OpenAPI document (rateLimitPolicyOf): mixin() renames the class. */
    static readonly rateLimitPolicy = policy;

    constructor(private readonly limiter: RateLimiter) {
      limiter.assertPolicy(policy);
    }

    canActivate(context: ExecutionContext): boolean {
      const http = context.switchToHttp();
      const key = keyOf(http.getRequest<FastifyRequest>());
      if (key === null) return true;
      const verdict = this.limiter.decide(policy, key);
      if (!verdict) return true;
      const reply = http.getResponse<FastifyReply>();
      addListMember(reply, RATELIMIT_POLICY_HEADER, verdict.policyField);
      addListMember(reply, RATELIMIT_HEADER, verdict.limitField);
      if (verdict.refusal) throw verdict.refusal;
      return true;
    }
  }
  return mixin(PolicyRateLimitGuard);
}

/** The policy a guard class made by RateLimitGuard counts under; undefined for any other guard. */
export function rateLimitPolicyOf(guard: unknown): string | undefined {
  if (typeof guard !== 'function' || !('rateLimitPolicy' in guard)) return undefined;
  return typeof guard.rateLimitPolicy === 'string' ? guard.rateLimitPolicy : undefined;
}
