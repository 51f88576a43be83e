import { Injectable } from '@nestjs/common';
import { generateUserId, generateUserSecret, hashSecret, verifyAgainstDummy, verifySecret } from '@app/auth';
import { DomainError } from '@app/contracts';
import { UsersRepository } from '@app/persistence';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async register(userId = generateUserId()): Promise<{ userId: string; secret: string }> {
    const secret = generateUserSecret();
    await this.users.create({ id: userId, secretHash: await hashSecret(secret) });
    return { userId, secret };
  }

  /** Unknown user and wrong secret look the same, in answer and in time. */
  async authenticate(userId: string, secret: string): Promise<void> {
    const credentials = await this.users.findCredentials(userId);
    const valid = credentials
      ? await verifySecret(secret, credentials.secretHash)
      : await verifyAgainstDummy(secret);
    if (!valid) throw new DomainError('unauthorized', 'Unknown user or wrong secret');
  }
}
