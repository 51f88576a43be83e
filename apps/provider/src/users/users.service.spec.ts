import { generateUserSecret, hashSecret, UserSecretHasher, VerifiedSecretCache } from '@app/auth';
import type { UserCredentials, UsersRepository } from '@app/persistence';
import type { AuthFailureLockout } from '@app/ratelimit';
import { UsersService } from './users.service';

const PEPPER = 'pepper-0123456789abcdef0123456789abcdef';

/**
 * The users collection as a map, with the repository's compare-and-set; `beforeUpgrade` runs
 * between the read of a user and the conditional write (another request's rotation, say).
 */
class FakeUsers {
  readonly hashes = new Map<string, string>();
  readonly writes: string[] = [];
  beforeUpgrade: () => void = () => undefined;
  failUpgrade = false;

  create(user: UserCredentials) {
    this.hashes.set(user.id, user.secretHash);
    return Promise.resolve({ id: user.id, createdAt: new Date() });
  }

  findCredentials(id: string) {
    const secretHash = this.hashes.get(id);
    return Promise.resolve(secretHash === undefined ? null : { id, secretHash });
  }

  replaceSecretHash(id: string, secretHash: string) {
    if (!this.hashes.has(id)) return Promise.resolve(false);
    this.hashes.set(id, secretHash);
    return Promise.resolve(true);
  }

  replaceSecretHashIfUnchanged(id: string, currentHash: string, secretHash: string) {
    this.beforeUpgrade();
    if (this.failUpgrade) return Promise.reject(new Error('not primary'));
    this.writes.push(id);
    if (this.hashes.get(id) !== currentHash) return Promise.resolve(false);
    this.hashes.set(id, secretHash);
    return Promise.resolve(true);
  }
}

/** No lockout policy in play here: the ratelimit lib has its own tests. */
const noLockout = {
  assertPolicy: () => undefined,
  attempt: <T>(_name: string, _key: string, authenticate: () => Promise<T>) => authenticate(),
} as unknown as AuthFailureLockout;

function service() {
  const users = new FakeUsers();
  const hasher = new UserSecretHasher(PEPPER, new VerifiedSecretCache({ ttlMs: 60_000, maxEntries: 100 }));
  const repository = users as unknown as UsersRepository;
  return { users, hasher, service: new UsersService(repository, noLockout, hasher) };
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code,
  );

describe('UsersService: secrets', () => {
  const secret = generateUserSecret();
  let scryptHash: string;
  beforeAll(async () => {
    scryptHash = await hashSecret(secret);
  });

  it('stores new and rotated secrets in the HMAC form, which authenticates without any write', async () => {
    const { users, hasher, service: s } = service();
    const alice = await s.register('alice');
    expect(users.hashes.get('alice')).toBe(hasher.hash(alice.secret));
    expect(await outcome(s.authenticate('alice', alice.secret, '192.0.2.1'))).toBe('ok');
    const rotated = await s.rotateSecret('alice');
    expect(users.hashes.get('alice')).toBe(hasher.hash(rotated.secret));
    expect(await outcome(s.authenticate('alice', alice.secret, '192.0.2.1'))).toBe('unauthorized');
    expect(users.writes).toEqual([]);
  });

  it('upgrades a scrypt hash to the HMAC form on a successful check, and only then', async () => {
    const { users, hasher, service: s } = service();
    users.hashes.set('bob', scryptHash);
    expect(await outcome(s.authenticate('bob', `${secret}x`, '192.0.2.1'))).toBe('unauthorized');
    expect(users.hashes.get('bob')).toBe(scryptHash);

    expect(await outcome(s.authenticate('bob', secret, '192.0.2.1'))).toBe('ok');
    expect(users.hashes.get('bob')).toBe(hasher.hash(secret));
    expect(await outcome(s.authenticate('bob', secret, '192.0.2.1'))).toBe('ok');
    expect(await outcome(s.authenticate('bob', `${secret}x`, '192.0.2.1'))).toBe('unauthorized');
    expect(users.writes).toEqual(['bob']);
  });

  it('never overwrites a rotation that lands between the check and the upgrade', async () => {
    const { users, service: s } = service();
    users.hashes.set('carol', scryptHash);
    let rotated: string | undefined;
    users.beforeUpgrade = () => {
      users.beforeUpgrade = () => undefined;
      void s.rotateSecret('carol').then((r) => (rotated = r.secret));
    };
    expect(await outcome(s.authenticate('carol', secret, '192.0.2.1'))).toBe('ok');
    expect(rotated).toBeDefined();
    expect(await outcome(s.authenticate('carol', secret, '192.0.2.1'))).toBe('unauthorized');
    expect(await outcome(s.authenticate('carol', rotated!, '192.0.2.1'))).toBe('ok');
  });

  it('lets the caller in when the upgrade cannot be written; the scrypt hash stays', async () => {
    const { users, service: s } = service();
    users.hashes.set('dave', scryptHash);
    users.failUpgrade = true;
    expect(await outcome(s.authenticate('dave', secret, '192.0.2.1'))).toBe('ok');
    expect(users.hashes.get('dave')).toBe(scryptHash);
  });

  it('refuses an unknown user like a wrong secret', async () => {
    const { service: s } = service();
    expect(await outcome(s.authenticate('nobody', secret, '192.0.2.1'))).toBe('unauthorized');
  });
});
