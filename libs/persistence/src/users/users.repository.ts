import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DomainError } from '@app/contracts';
import { isDuplicateKeyError } from '../mongo-errors';
import { User } from './user.schema';

export interface UserCredentials {
  readonly id: string;
  readonly secretHash: string;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  async create(user: UserCredentials): Promise<{ id: string; createdAt: Date }> {
    try {
      const doc = await this.users.create({ _id: user.id, secretHash: user.secretHash });
      return { id: doc._id, createdAt: doc.createdAt };
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DomainError('user_exists', `User ${user.id} already exists`);
      throw error;
    }
  }

  async findCredentials(id: string): Promise<UserCredentials | null> {
    const doc = await this.users
      .findById(id, { secretHash: 1 })
      .lean<Pick<User, '_id' | 'secretHash'>>()
      .exec();
    return doc ? { id: doc._id, secretHash: doc.secretHash } : null;
  }

  /** False when there is no such user. */
  async replaceSecretHash(id: string, secretHash: string): Promise<boolean> {
    const result = await this.users.updateOne({ _id: id }, { $set: { secretHash } }).exec();
    return result.matchedCount === 1;
  }

  /**
   * Replaces the hash only while it is still `currentHash`: false when the user was deleted or
   * their hash changed meanwhile (a rotation, another replica's upgrade), whose write then stands.
   */
  async replaceSecretHashIfUnchanged(id: string, currentHash: string, secretHash: string): Promise<boolean> {
    const result = await this.users
      .updateOne({ _id: id, secretHash: currentHash }, { $set: { secretHash } })
      .exec();
    return result.matchedCount === 1;
  }

  /** False when there is no such user. */
  async delete(id: string): Promise<boolean> {
    const result = await this.users.deleteOne({ _id: id }).exec();
    return result.deletedCount === 1;
  }
}
