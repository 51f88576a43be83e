import {
  generateUserSecret,
  hashSecret,
  hashUserSecret,
  userSecretPepper,
  verifyPepperedSecret,
  verifySecret,
} from './credentials';
import { MIN_FAST_HASH_SECRET_LENGTH, UserSecretHasher } from './user-secret-hasher';
import { VerifiedSecretCache } from './verified-secret-cache';

const PEPPER = 'pepper-0123456789abcdef0123456789abcdef';
const OTHER_PEPPER = 'another-pepper-0123456789abcdef0123456789';

function hasher(pepper = PEPPER) {
  const cache = new VerifiedSecretCache({ ttlMs: 60_000, maxEntries: 100 });
  return { hasher: new UserSecretHasher(pepper, cache), cache };
}

describe('UserSecretHasher', () => {
  const secret = generateUserSecret();
  const shortSecret = 'a'.repeat(MIN_FAST_HASH_SECRET_LENGTH - 1);
  // Real scrypt hashes as stored before the pepper: each costs tens of milliseconds to make.
  let scryptHash: string;
  let shortScryptHash: string;
  beforeAll(async () => {
    [scryptHash, shortScryptHash] = await Promise.all([hashSecret(secret), hashSecret(shortSecret)]);
  });

  it('hashes new secrets as HMAC-SHA-256 under its pepper', () => {
    const stored = hasher().hasher.hash(secret);
    expect(stored).toBe(hashUserSecret(secret, userSecretPepper(PEPPER)));
    expect(stored).toMatch(/^hmac-sha256\$[A-Za-z0-9_-]{8}\$[A-Za-z0-9_-]{43}$/);
  });

  it('checks an HMAC hash without the verified-secret cache and without an upgrade', async () => {
    const { hasher: h, cache } = hasher();
    const stored = h.hash(secret);
    expect(await h.check('alice', secret, stored)).toEqual({
      valid: true,
      upgradedHash: null,
      otherPepperId: null,
    });
    expect(await h.check('alice', `${secret}x`, stored)).toEqual({
      valid: false,
      upgradedHash: null,
      otherPepperId: null,
    });
    expect(cache.size).toBe(0);
  });

  it('accepts the right secret against a scrypt hash and hands back its HMAC form', async () => {
    const { hasher: h, cache } = hasher();
    const check = await h.check('alice', secret, scryptHash);
    expect(check.valid).toBe(true);
    expect(check.upgradedHash).toBe(h.hash(secret));
    expect(verifyPepperedSecret(secret, check.upgradedHash!, userSecretPepper(PEPPER))).toBe(true);
    // The scrypt check went through the cache: a repeat before the upgrade is stored is cheap.
    expect(cache.size).toBe(1);
  });

  it('refuses a wrong secret against a scrypt hash, with nothing to upgrade', async () => {
    const { hasher: h, cache } = hasher();
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await h.check('alice', wrong, scryptHash)).toEqual({
      valid: false,
      upgradedHash: null,
      otherPepperId: null,
    });
    expect(cache.size).toBe(0);
  });

  it(`keeps scrypt for a secret shorter than ${MIN_FAST_HASH_SECRET_LENGTH} characters (it may be guessable)`, async () => {
    const { hasher: h } = hasher();
    expect(await h.check('bob', shortSecret, shortScryptHash)).toEqual({
      valid: true,
      upgradedHash: null,
      otherPepperId: null,
    });
  });

  it('names the pepper of a hash made under another one, and refuses it', async () => {
    const before = hasher(OTHER_PEPPER).hasher;
    const after = hasher().hasher;
    expect(before.pepperId).not.toBe(after.pepperId);
    expect(await after.check('carol', secret, before.hash(secret))).toEqual({
      valid: false,
      upgradedHash: null,
      otherPepperId: before.pepperId,
    });
  });

  it('refuses stored strings of no known form', async () => {
    const { hasher: h } = hasher();
    for (const stored of ['', 'plain-text', 'bcrypt$x', 'hmac-sha256$', '$2b$10$abcdefghijklmnopqrstuu']) {
      expect((await h.check('dave', secret, stored)).valid).toBe(false);
    }
  });

  it('answers false for an unknown user at the cost of an HMAC check, not of a scrypt run', async () => {
    const { hasher: h } = hasher();
    const started = process.hrtime.bigint();
    await verifySecret(secret, scryptHash);
    const scryptNs = process.hrtime.bigint() - started;

    const dummyStarted = process.hrtime.bigint();
    const answers = new Set<boolean>();
    for (let i = 0; i < 200; i++) answers.add(h.checkUnknownUser(secret));
    const dummiesNs = process.hrtime.bigint() - dummyStarted;
    expect([...answers]).toEqual([false]);
    // Tens of milliseconds against about one: 200 dummies that each ran scrypt would take 200 times longer.
    expect(dummiesNs).toBeLessThan(scryptNs);
  });
});
