import { hashSecret, verifySecret } from './credentials';
import { VerifiedSecretCache, type VerifiedSecretCacheOptions } from './verified-secret-cache';

/** A check that answers `secret === expected` and counts its runs. */
function fakeCheck(expected: string) {
  const calls: string[] = [];
  return {
    calls,
    for: (secret: string) => () => {
      calls.push(secret);
      return Promise.resolve(secret === expected);
    },
  };
}

function cache(options: Partial<VerifiedSecretCacheOptions> = {}) {
  let now = 1_000_000;
  const instance = new VerifiedSecretCache({ ttlMs: 60_000, maxEntries: 100, now: () => now, ...options });
  return { instance, advance: (ms: number) => (now += ms) };
}

describe('VerifiedSecretCache', () => {
  it('runs the check once for a right secret, then answers from memory within the TTL', async () => {
    const { instance, advance } = cache();
    const check = fakeCheck('right');
    expect(await instance.verify('alice', 'right', 'hash-1', check.for('right'))).toBe(true);
    advance(59_999);
    expect(await instance.verify('alice', 'right', 'hash-1', check.for('right'))).toBe(true);
    expect(check.calls).toEqual(['right']);
  });

  it('checks again once the TTL has passed', async () => {
    const { instance, advance } = cache();
    const check = fakeCheck('right');
    await instance.verify('alice', 'right', 'hash-1', check.for('right'));
    advance(60_000);
    expect(await instance.verify('alice', 'right', 'hash-1', check.for('right'))).toBe(true);
    expect(check.calls).toEqual(['right', 'right']);
  });

  it('never remembers a wrong secret: every attempt is checked and refused', async () => {
    const { instance } = cache();
    const check = fakeCheck('right');
    for (let i = 0; i < 3; i++) {
      expect(await instance.verify('alice', 'wrong', 'hash-1', check.for('wrong'))).toBe(false);
    }
    expect(check.calls).toEqual(['wrong', 'wrong', 'wrong']);
    expect(instance.size).toBe(0);
  });

  it('refuses a wrong secret right after the right one was remembered', async () => {
    const { instance } = cache();
    const check = fakeCheck('right');
    expect(await instance.verify('alice', 'right', 'hash-1', check.for('right'))).toBe(true);
    expect(await instance.verify('alice', 'wrong', 'hash-1', check.for('wrong'))).toBe(false);
    expect(await instance.verify('alice', 'righ', 'hash-1', check.for('righ'))).toBe(false);
    expect(check.calls).toEqual(['right', 'wrong', 'righ']);
  });

  it('keys entries by user and by stored hash: another user, or a changed secret, is checked again', async () => {
    const { instance } = cache();
    const check = fakeCheck('right');
    await instance.verify('alice', 'right', 'hash-1', check.for('right'));
    await instance.verify('bob', 'right', 'hash-1', check.for('right'));
    await instance.verify('alice', 'right', 'hash-2', check.for('right'));
    expect(check.calls).toHaveLength(3);
  });

  it('keeps at most maxEntries, dropping the oldest first', async () => {
    const { instance } = cache({ maxEntries: 2 });
    const check = fakeCheck('s');
    for (const user of ['u1', 'u2', 'u3']) await instance.verify(user, 's', 'h', check.for('s'));
    expect(instance.size).toBe(2);
    await instance.verify('u3', 's', 'h', check.for('s'));
    await instance.verify('u2', 's', 'h', check.for('s'));
    expect(check.calls).toHaveLength(3);
    await instance.verify('u1', 's', 'h', check.for('s'));
    expect(check.calls).toHaveLength(4);
    expect(instance.size).toBe(2);
  });

  it.each([
    ['ttlMs is 0', { ttlMs: 0 }],
    ['maxEntries is 0', { maxEntries: 0 }],
  ])('is off when %s: every call runs the check', async (_, options) => {
    const { instance } = cache(options);
    const check = fakeCheck('right');
    expect(instance.enabled).toBe(false);
    await instance.verify('alice', 'right', 'h', check.for('right'));
    await instance.verify('alice', 'right', 'h', check.for('right'));
    expect(check.calls).toHaveLength(2);
    expect(instance.size).toBe(0);
  });

  it('lets concurrent calls with the same secret share one check, right or wrong', async () => {
    const { instance } = cache();
    const check = fakeCheck('right');
    const right = await Promise.all(
      Array.from({ length: 10 }, () => instance.verify('alice', 'right', 'h', check.for('right'))),
    );
    const wrong = await Promise.all(
      Array.from({ length: 10 }, () => instance.verify('alice', 'wrong', 'h', check.for('wrong'))),
    );
    expect(right).toEqual(Array(10).fill(true));
    expect(wrong).toEqual(Array(10).fill(false));
    expect(check.calls).toEqual(['right', 'wrong']);
  });

  it('passes a failing check on, remembers nothing, and checks again next time', async () => {
    const { instance } = cache();
    const failing = () => Promise.reject(new Error('scrypt failed'));
    await expect(instance.verify('alice', 'right', 'h', failing)).rejects.toThrow('scrypt failed');
    const check = fakeCheck('right');
    expect(await instance.verify('alice', 'right', 'h', check.for('right'))).toBe(true);
    expect(check.calls).toEqual(['right']);
  });

  it('works with the real scrypt check', async () => {
    const { instance } = cache();
    const stored = await hashSecret('s3cret');
    const verify = (secret: string) =>
      instance.verify('alice', secret, stored, () => verifySecret(secret, stored));
    expect(await verify('s3cret')).toBe(true);
    expect(await verify('s3cret')).toBe(true);
    expect(await verify('s3cre')).toBe(false);
    expect(instance.size).toBe(1);
  });

  it('keeps neither the secret nor the user id, only a keyed fingerprint', async () => {
    const { instance } = cache();
    await instance.verify(
      'alice',
      'very-secret-value',
      'h',
      fakeCheck('very-secret-value').for('very-secret-value'),
    );
    // Private on purpose; read here only to prove what is (not) kept.
    const keys = [...instance['verified'].keys()];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys[0]).not.toContain('very-secret');
    expect(keys[0]).not.toContain('alice');
  });
});
