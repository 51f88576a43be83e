/**
 * The compare-and-set that upgrades a user's scrypt hash (UsersRepository
 * .replaceSecretHashIfUnchanged) against the test stack's MongoDB: it writes only over the hash
 * that was checked, so a rotation or another replica's upgrade in between is never overwritten.
 */
import { randomBytes } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Connection, Model } from 'mongoose';
import { ConfigModule } from '@app/config';
import { PersistenceModule, User, UsersRepository } from '@app/persistence';
import { testStackConfig } from '../support/config';

const DB_NAME = `int_user_secret_hash_${randomBytes(4).toString('hex')}`;
const SCRYPT_HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0$a2V5';
const HMAC_HASH = 'hmac-sha256$pepperid$upgraded';
const ROTATED_HASH = 'hmac-sha256$pepperid$rotated';

let moduleRef: TestingModule;
let connection: Connection;
let users: UsersRepository;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testStackConfig('user-secret-hash-int-spec', DB_NAME)),
      PersistenceModule.forRoot({ defaultPoolSize: 5, collections: ['users'] }),
    ],
  })
    .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
    .compile();
  connection = moduleRef.get<Connection>(getConnectionToken());
  await moduleRef.get<Model<User>>(getModelToken(User.name)).init();
  users = moduleRef.get(UsersRepository);
});

afterAll(async () => {
  if (connection) await connection.dropDatabase();
  if (moduleRef) await moduleRef.close();
});

const newUser = async () => {
  const id = `user-${randomBytes(5).toString('hex')}`;
  await users.create({ id, secretHash: SCRYPT_HASH });
  return id;
};

describe('UsersRepository.replaceSecretHashIfUnchanged', () => {
  it('replaces the hash that was checked', async () => {
    const id = await newUser();
    expect(await users.replaceSecretHashIfUnchanged(id, SCRYPT_HASH, HMAC_HASH)).toBe(true);
    expect(await users.findCredentials(id)).toEqual({ id, secretHash: HMAC_HASH });
  });

  it('leaves a hash rotated since the check alone', async () => {
    const id = await newUser();
    expect(await users.replaceSecretHash(id, ROTATED_HASH)).toBe(true);
    expect(await users.replaceSecretHashIfUnchanged(id, SCRYPT_HASH, HMAC_HASH)).toBe(false);
    expect(await users.findCredentials(id)).toEqual({ id, secretHash: ROTATED_HASH });
  });

  it('lets one of two concurrent writers over the same checked hash win, the other finds it changed', async () => {
    const id = await newUser();
    const results = await Promise.all([
      users.replaceSecretHashIfUnchanged(id, SCRYPT_HASH, HMAC_HASH),
      users.replaceSecretHashIfUnchanged(id, SCRYPT_HASH, ROTATED_HASH),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? HMAC_HASH : ROTATED_HASH;
    expect(await users.findCredentials(id)).toEqual({ id, secretHash: winner });
  });

  it('creates nobody: false for a user deleted since the check', async () => {
    const id = await newUser();
    expect(await users.delete(id)).toBe(true);
    expect(await users.replaceSecretHashIfUnchanged(id, SCRYPT_HASH, HMAC_HASH)).toBe(false);
    expect(await users.findCredentials(id)).toBeNull();
  });
});
