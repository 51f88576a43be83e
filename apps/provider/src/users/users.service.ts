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

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly verifiedSecrets: VerifiedSecretCache,
  ) {}

  async register(userId = generateUserId()): Promise<{ userId: string; secret: string }> {
    const secret = generateUserSecret();
    await this.users.create({ id: userId, secretHash: await hashSecret(secret) });
    return { userId, secret };
  }

  /**
   * Unknown user and wrong secret look the same, in answer and in time. A repeat caller with the
   * right secret is answered from the verified-secret cache; the user is still read every time,
   * so the cache entry is bound to the stored hash.
   */
  async authenticate(userId: string, secret: string): Promise<void> {
    const credentials = await this.users.findCredentials(userId);
    const valid = credentials
      ? await this.verifiedSecrets.verify(userId, secret, credentials.secretHash, () =>
          verifySecret(secret, credentials.secretHash),
        )
      : await verifyAgainstDummy(secret);
    if (!valid) throw new DomainError('unauthorized', 'Unknown user or wrong secret');
  }
}
