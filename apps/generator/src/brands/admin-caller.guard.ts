import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '@app/auth';
import { DomainError } from '@app/contracts';

/**
 * After BrandGuard: lets the admin through and answers any other caller 403. AdminGuard alone
 * would answer a valid brand key 401 ("Invalid admin token"); a brand key is a credential this
 * service knows, it just does not reach every brand. Being a guard, the refusal comes before the
 * query is validated: a brand key learns nothing about the route's parameters.
 */
@Injectable()
export class AdminCallerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (principal?.kind !== 'admin') {
      throw new DomainError('forbidden', 'Only the admin token sees every brand; a brand key sees its own');
    }
    return true;
  }
}
