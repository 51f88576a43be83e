import {
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const API_KEY_PREFIX = 'dk_';

/** 256 random bits: guessing is hopeless, so the stored form can be a plain SHA-256. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

/**
 * A name for a key that gives nothing of it away: the start of its hash. Brands tell their keys
 * apart by it (which one a client still uses, which one a rotation replaced).
 */
export function apiKeyId(apiKeyHash: string): string {
  return `key_${apiKeyHash.slice(0, 12)}`;
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX) && token.length === API_KEY_PREFIX.length + 43;
}

/** A secret for the predecessor's URL: URL-safe, 144 random bits. */
export function generateUserSecret(): string {
  return randomBytes(18).toString('base64url');
}

export function generateUserId(): string {
  return `u-${randomBytes(9)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x')}`;
}

/** Compares without leaking, through timing, where the first difference is (or the lengths). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The server-side key of user-secret hashes (USER_SECRET_PEPPER) and its id, which is stored in
 * each hash: a hash made under another pepper is then told apart from a wrong secret.
 */
export interface UserSecretPepper {
  readonly id: string;
  readonly key: Buffer;
}

const HMAC_SCHEME = 'hmac-sha256';
const HMAC_DIGEST = /^[A-Za-z0-9_-]{43}$/;

/** The id is 48 bits of an HMAC under the pepper: it tells peppers apart and gives nothing away. */
export function userSecretPepper(value: string): UserSecretPepper {
  const key = Buffer.from(value, 'utf8');
  return { id: createHmac('sha256', key).update('pepper-id').digest('base64url').slice(0, 8), key };
}

/**
 * A user secret's stored form: `hmac-sha256$<pepper id>$<HMAC-SHA-256(pepper, secret), base64url>`.
 * As with API keys, a secret the service generates (144 random bits) cannot be guessed, so one
 * fast hash is enough and a slow one only burns CPU on every first call. Unlike API keys, which
 * are found by their hash, a user is read by id, so the hash can be keyed: a copy of the database
 * without the pepper (which lives in the environment) cannot even confirm a leaked secret.
 */
export function hashUserSecret(secret: string, pepper: UserSecretPepper): string {
  return [HMAC_SCHEME, pepper.id, hmacOf(secret, pepper).toString('base64url')].join('$');
}

export function isPepperedHash(stored: string): boolean {
  return stored.startsWith(`${HMAC_SCHEME}$`);
}

/** The pepper id a peppered hash was made under, or null for any other string. */
export function pepperIdOf(stored: string): string | null {
  const [scheme, id, digest, ...rest] = stored.split('$');
  return scheme === HMAC_SCHEME && id && digest !== undefined && rest.length === 0 ? id : null;
}

/** Constant time in the secret; false for a hash made under another pepper or not of this form. */
export function verifyPepperedSecret(secret: string, stored: string, pepper: UserSecretPepper): boolean {
  const [scheme, id, digest = '', ...rest] = stored.split('$');
  const actual = hmacOf(secret, pepper);
  const wellFormed = scheme === HMAC_SCHEME && rest.length === 0 && HMAC_DIGEST.test(digest);
  return wellFormed && timingSafeEqual(actual, Buffer.from(digest, 'base64url')) && id === pepper.id;
}

const hmacOf = (secret: string, pepper: UserSecretPepper) =>
  createHmac('sha256', pepper.key).update(secret, 'utf8').digest();

/**
 * scrypt parameters, stored inside every hash so they can be raised later without breaking
 * existing users. N = 2^15, r = 8 costs about 32 MiB and tens of milliseconds per check. User
 * secrets were stored this way before hashUserSecret; such hashes are still checked, and replaced
 * on the user's next successful call (see UserSecretHasher).
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

function scryptAsync(
  secret: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const maxmem = (N: number, r: number) => 256 * N * r;

/** The former stored form (scrypt); kept so that tests and tools can make users of before the pepper. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scryptAsync(secret, salt, keyLength, { N, r, p, maxmem: maxmem(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Parses `scrypt$N$r$p$salt$key`; anything else (including a truncated key) is refused. */
function parseStoredHash(stored: string) {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  const integer = (value: string | undefined) => (value && /^\d{1,10}$/.test(value) ? Number(value) : NaN);
  const parsed = { N: integer(n), r: integer(r), p: integer(p) };
  const expectedKey = Buffer.from(key ?? '', 'base64url');
  const valid =
    scheme === 'scrypt' &&
    rest.length === 0 &&
    Object.values(parsed).every((value) => Number.isInteger(value) && value > 0) &&
    !!salt &&
    expectedKey.length === SCRYPT.keyLength;
  return valid ? { ...parsed, salt: Buffer.from(salt, 'base64url'), expectedKey } : null;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  const { N, r, p, salt, expectedKey } = parsed;
  try {
    const key = await scryptAsync(secret, salt, expectedKey.length, { N, r, p, maxmem: maxmem(N, r) });
    return timingSafeEqual(key, expectedKey);
  } catch {
    // Parameters scrypt refuses (N not a power of two, too much memory): not a hash we made.
    return false;
  }
}
