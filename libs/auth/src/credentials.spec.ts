import { createHmac } from 'node:crypto';
import { ID_PATTERN } from '@app/contracts';
import {
  generateApiKey,
  generateUserId,
  generateUserSecret,
  hashApiKey,
  hashSecret,
  hashUserSecret,
  isPepperedHash,
  looksLikeApiKey,
  pepperIdOf,
  safeEqual,
  userSecretPepper,
  verifyPepperedSecret,
  verifySecret,
} from './credentials';

const URL_SAFE = /^[A-Za-z0-9_-]+$/;

/** Replaces the last `$`-separated field (the derived key) of a stored hash. */
const withKey = (stored: string, key: string) => stored.replace(/\$[^$]*$/, `$${key}`);

describe('hashSecret / verifySecret', () => {
  // One real hash shared by the tests below: each costs tens of milliseconds and 32 MiB.
  let stored: string;
  beforeAll(async () => {
    stored = await hashSecret('correct horse battery staple');
  });

  it('stores the scheme, its parameters, a salt and the key, never the secret', () => {
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('correct horse');
  });

  it('round-trips: the right secret verifies', async () => {
    await expect(verifySecret('correct horse battery staple', stored)).resolves.toBe(true);
  });

  it('salts: hashing the same secret twice gives different strings that both verify', async () => {
    const again = await hashSecret('correct horse battery staple');
    expect(again).not.toBe(stored);
    await expect(verifySecret('correct horse battery staple', again)).resolves.toBe(true);
  });

  it.each([
    'Correct horse battery staple',
    'correct horse battery stapl',
    '',
    'correct horse battery staple ',
  ])('refuses the wrong secret %j', async (secret) => {
    await expect(verifySecret(secret, stored)).resolves.toBe(false);
  });

  it('refuses when the stored key is tampered with', async () => {
    const key = stored.split('$')[5]!;
    const flipped = (key[0] === 'A' ? 'B' : 'A') + key.slice(1);
    await expect(verifySecret('correct horse battery staple', withKey(stored, flipped))).resolves.toBe(false);
  });

  it('refuses when the stored salt is tampered with', async () => {
    const parts = stored.split('$');
    parts[4] = parts[4]!.split('').reverse().join('');
    await expect(verifySecret('correct horse battery staple', parts.join('$'))).resolves.toBe(false);
  });

  it.each([
    '',
    'plain-text-secret',
    'scrypt',
    'scrypt$32768$8$1$c2FsdA',
    'scrypt$32768$8$1$$a2V5',
    'bcrypt$32768$8$1$c2FsdA$a2V5',
    '$2b$10$abcdefghijklmnopqrstuuE4Qb6Y8fE7qTg2k0cYfK6m8yKXo0bG',
  ])('refuses a malformed stored string %j', async (bad) => {
    await expect(verifySecret('anything', bad)).resolves.toBe(false);
  });

  it('refuses (resolves false) a stored string with non-numeric parameters', async () => {
    await expect(verifySecret('anything', 'scrypt$abc$8$1$c2FsdA$a2V5a2V5')).resolves.toBe(false);
  });

  it('refuses a stored key that decodes to nothing (else every secret matches)', async () => {
    await expect(verifySecret('any secret at all', 'scrypt$16384$8$1$c2FsdA$!!!')).resolves.toBe(false);
  });

  it('refuses a stored key truncated to one byte', async () => {
    const key = stored.split('$')[5]!;
    await expect(
      verifySecret('correct horse battery staple', withKey(stored, key.slice(0, 2))),
    ).resolves.toBe(false);
  });
});

describe('hashUserSecret / verifyPepperedSecret', () => {
  const pepper = userSecretPepper('pepper-0123456789abcdef0123456789abcdef');
  const other = userSecretPepper('pepper-0123456789abcdef0123456789abcdeF');
  const secret = generateUserSecret();
  const stored = hashUserSecret(secret, pepper);

  it('stores the scheme, the pepper id and HMAC-SHA-256(pepper, secret), never the secret', () => {
    const digest = createHmac('sha256', 'pepper-0123456789abcdef0123456789abcdef').update(secret).digest();
    expect(stored).toBe(`hmac-sha256$${pepper.id}$${digest.toString('base64url')}`);
    expect(stored).not.toContain(secret);
    expect(isPepperedHash(stored)).toBe(true);
    expect(pepperIdOf(stored)).toBe(pepper.id);
  });

  it('gives each pepper its own id, stable for the same value, revealing none of it', () => {
    expect(pepper.id).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(userSecretPepper('pepper-0123456789abcdef0123456789abcdef').id).toBe(pepper.id);
    expect(other.id).not.toBe(pepper.id);
    expect('pepper-0123456789abcdef0123456789abcdef').not.toContain(pepper.id);
  });

  it('verifies the right secret under the same pepper, and nothing else', () => {
    expect(verifyPepperedSecret(secret, stored, pepper)).toBe(true);
    expect(verifyPepperedSecret(`${secret}x`, stored, pepper)).toBe(false);
    expect(verifyPepperedSecret('', stored, pepper)).toBe(false);
    expect(verifyPepperedSecret(secret, stored, other)).toBe(false);
  });

  it('refuses a hash made under another pepper even when its id is rewritten to this one', () => {
    const forged = hashUserSecret(secret, other).replace(other.id, pepper.id);
    expect(verifyPepperedSecret(secret, forged, pepper)).toBe(false);
  });

  it.each([
    // The first character of the digest: the last one's low bits are padding, which decoding drops.
    [
      'a flipped digest',
      (s: string) =>
        s.replace(/\$(.)([^$]*)$/, (_m, c: string, rest: string) => `$${c === 'A' ? 'B' : 'A'}${rest}`),
    ],
    ['a truncated digest', (s: string) => s.slice(0, -2)],
    ['an extra field', (s: string) => `${s}$x`],
    ['another scheme', (s: string) => s.replace('hmac-sha256', 'hmac-sha1')],
    ['a digest that decodes to nothing', () => `hmac-sha256$${pepper.id}$${'!'.repeat(43)}`],
    ['a scrypt hash', () => 'scrypt$16384$8$1$c2FsdA$a2V5a2V5'],
    ['an empty string', () => ''],
  ])('refuses %s', (_what, tamper) => {
    expect(verifyPepperedSecret(secret, tamper(stored), pepper)).toBe(false);
  });

  it('is not read as a scrypt hash, nor a scrypt hash as peppered', async () => {
    await expect(verifySecret(secret, stored)).resolves.toBe(false);
    expect(isPepperedHash('scrypt$32768$8$1$c2FsdA$a2V5')).toBe(false);
    expect(pepperIdOf('scrypt$32768$8$1$c2FsdA$a2V5')).toBeNull();
  });
});

describe('API keys', () => {
  it('generates dk_ + 43 base64url characters (256 bits), different every time', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    for (const key of keys) {
      expect(key).toMatch(/^dk_[A-Za-z0-9_-]{43}$/);
      expect(looksLikeApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    '',
    'dk_',
    'dk_short',
    `dk_${'a'.repeat(42)}`,
    `dk_${'a'.repeat(44)}`,
    `xk_${'a'.repeat(43)}`,
    `DK_${'a'.repeat(43)}`,
    'test-admin-token-0123456789abcdef',
  ])('looksLikeApiKey(%j) is false', (token) => {
    expect(looksLikeApiKey(token)).toBe(false);
  });

  it('hashes keys to stable, distinct, 64-character hex digests', () => {
    const key = generateApiKey();
    const other = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toBe(hashApiKey(other));
    expect(hashApiKey(key)).not.toContain(key.slice(3));
  });

  it('hashApiKey is SHA-256 (stored hashes must stay valid across releases)', () => {
    expect(hashApiKey('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('safeEqual', () => {
  it.each([
    ['same', 'same', true],
    ['', '', true],
    ['same', 'Same', false],
    ['same', 'same ', false],
    ['prefix', 'prefix-and-more', false],
    ['', 'x', false],
    ['ünïcødé', 'ünïcødé', true],
  ])('safeEqual(%j, %j) is %s', (a, b, expected) => {
    expect(safeEqual(a, b)).toBe(expected);
    expect(safeEqual(b, a)).toBe(expected);
  });
});

describe('user secrets and ids', () => {
  it('generates URL-safe secrets of 24 characters (144 bits), all different', () => {
    const secrets = Array.from({ length: 500 }, generateUserSecret);
    for (const secret of secrets) {
      expect(secret).toMatch(URL_SAFE);
      expect(secret).toHaveLength(24);
      expect(encodeURIComponent(secret)).toBe(secret);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('generates user ids that are URL-safe and match the contracts ID_PATTERN', () => {
    const ids = Array.from({ length: 2000 }, generateUserId);
    for (const id of ids) {
      expect(id).toMatch(ID_PATTERN);
      expect(id).toMatch(/^u-[A-Za-z0-9]{12}$/);
      expect(encodeURIComponent(id)).toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
