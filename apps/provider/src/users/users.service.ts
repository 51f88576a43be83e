import { Injectable, Logger } from '@nestjs/common';
import { generateUserId, generateUserSecret, UserSecretHasher } from '@app/auth';
import { DomainError } from '@app/contracts';
import { UsersRepository } from '@app/persistence';
import { AuthFailureLockout } from '@app/ratelimit';
import { errorMessage } from '@app/scheduling';

/** Wrong secrets on the predecessor's route, counted per user id and client IP. */
export const AUTH_FAILURES_PER_USER_IP = 'authFailuresPerUserIp';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly lockout: AuthFailureLockout,
    private readonly secrets: UserSecretHasher,
  ) {
    lockout.assertPolicy(AUTH_FAILURES_PER_USER_IP);
  }

  async register(userId = generateUserId()): Promise<{ userId: string; secret: string }> {
    const secret = generateUserSecret();
    await this.users.create({ id: userId, secretHash: this.secrets.hash(secret) });
    return { userId, secret };
  }

  /**
   * A new secret; the old one stops working at once on every replica (a remembered check is bound
   * to the stored hash, which changes).
   */
  async rotateSecret(userId: string): Promise<{ userId: string; secret: string }> {
    const secret = generateUserSecret();
    if (!(await this.users.replaceSecretHash(userId, this.secrets.hash(secret)))) throw unknownUser(userId);
    return { userId, secret };
  }

  /** The user can no longer claim; codes already claimed stay theirs. */
  async remove(userId: string): Promise<void> {
    if (!(await this.users.delete(userId))) throw unknownUser(userId);
  }

  /**
   * Unknown user and wrong secret look the same, in answer and in time (a hash not yet upgraded
   * from scrypt is the exception: see UserSecretHasher). Repeated failures lock that user id out
   * for that client IP (with growing lockouts); keyed by both so that nobody can lock a user out
   * everywhere by failing on purpose, and a success clears the record.
   */
  async authenticate(userId: string, secret: string, clientIp: string): Promise<void> {
    await this.lockout.attempt(
      AUTH_FAILURES_PER_USER_IP,
      `${userId} ${clientIp}`,
      async () => {
        const credentials = await this.users.findCredentials(userId);
        if (!credentials) {
          this.secrets.checkUnknownUser(secret);
          throw unauthorized();
        }
        const check = await this.secrets.check(userId, secret, credentials.secretHash);
        if (check.otherPepperId) {
          this.logger.warn(
            `user ${userId}'s secret was hashed under another USER_SECRET_PEPPER (id ${check.otherPepperId}, ` +
              `this one is ${this.secrets.pepperId}): it cannot be checked until that pepper is set again`,
          );
        }
        if (!check.valid) throw unauthorized();
        if (check.upgradedHash) await this.upgrade(userId, credentials.secretHash, check.upgradedHash);
      },
      { resetOnSuccess: true },
    );
  }

  /**
   * Puts the fast hash in place of a scrypt one, only if the stored hash is still the one checked:
   * a rotation (or deletion) since then wins. Failing costs nothing but another scrypt check on
   * the next call, so it does not fail the request.
   */
  private async upgrade(userId: string, checkedHash: string, upgradedHash: string): Promise<void> {
    try {
      await this.users.replaceSecretHashIfUnchanged(userId, checkedHash, upgradedHash);
    } catch (error) {
      this.logger.warn(`user ${userId}'s secret hash stays scrypt for now: ${errorMessage(error)}`);
    }
  }
}

const unauthorized = () => new DomainError('unauthorized', 'Unknown user or wrong secret');
const unknownUser = (userId: string) => new DomainError('not_found', `User ${userId} does not exist`);
