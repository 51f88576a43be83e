import { Injectable } from '@nestjs/common';
import {
  generateUserId,
  generateUserSecret,
  hashSecret,
  verifyAgainstDummy,
  VerifiedSecretCache,
  verifySecret,
} from '@app/auth';
import { DomainError } from '@app/contracts';
import { UsersRepository } from '@app/persistence';
import { AuthFailureLockout } from '@app/ratelimit';

/** Wrong secrets on the predecessor's route, counted per user id and client IP. */
export const AUTH_FAILURES_PER_USER_IP = 'authFailuresPerUserIp';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly lockout: AuthFailureLockout,
    private readonly verifiedSecrets: VerifiedSecretCache,
  ) {
    lockout.assertPolicy(AUTH_FAILURES_PER_USER_IP);
  }

  async register(userId = generateUserId()): Promise<{ userId: string; secret: string }> {
    const secret = generateUserSecret();
    await this.users.create({ id: userId, secretHash: await hashSecret(secret) });
    return { userId, secret };
  }

  /**
   * A new secret; the old one stops working at once on every replica (a remembered check is bound
   * to the stored hash, which changes).
   */
  async rotateSecret(userId: string): Promise<{ userId: string; secret: string }> {
    const secret = generateUserSecret();
    if (!(await this.users.replaceSecretHash(userId, await hashSecret(secret)))) throw unknownUser(userId);
    return { userId, secret };
  }

  /** The user can no longer claim; codes already claimed stay theirs. */
  async remove(userId: string): Promise<void> {
    if (!(await this.users.delete(userId))) throw unknownUser(userId);
  }

  /**
   * Unknown user and wrong secret look the same, in answer and in time. Repeated failures lock
   * that user id out for that client IP (with growing lockouts); keyed by both so that nobody can
   * lock a user out everywhere by failing on purpose, and a success clears the record. A repeat
   * caller with the right secret is answered from the verified-secret cache; the user is still
   * read every time, so the cache entry is bound to the stored hash.
   */
  async authenticate(userId: string, secret: string, clientIp: string): Promise<void> {
    await this.lockout.attempt(
      AUTH_FAILURES_PER_USER_IP,
      `${userId} ${clientIp}`,
      async () => {
        const credentials = await this.users.findCredentials(userId);
        const valid = credentials
          ? await this.verifiedSecrets.verify(userId, secret, credentials.secretHash, () =>
              verifySecret(secret, credentials.secretHash),
            )
          : await verifyAgainstDummy(secret);
        if (!valid) throw new DomainError('unauthorized', 'Unknown user or wrong secret');
      },
      { resetOnSuccess: true },
    );
  }
}

const unknownUser = (userId: string) => new DomainError('not_found', `User ${userId} does not exist`);
