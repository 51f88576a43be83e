import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { BrandPrincipal } from './principal';

/** What the guards learned about the caller, kept on the request for the handler. */
export interface AuthenticatedRequest extends FastifyRequest {
  principal?: BrandPrincipal;
  userId?: string;
}

function requestOf(context: ExecutionContext): AuthenticatedRequest {
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): BrandPrincipal => {
    const principal = requestOf(context).principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without BrandGuard');
    return principal;
  },
);

export const CurrentUserId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const userId = requestOf(context).userId;
  if (!userId) throw new Error('CurrentUserId used on a route without JwtUserGuard');
  return userId;
});

export { requestOf };
