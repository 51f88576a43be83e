import {
  generateUserSecret,
  hashUserSecret,
  isPepperedHash,
  pepperIdOf,
  userSecretPepper,
  verifyPepperedSecret,
  verifySecret,
  type UserSecretPepper,
} from './credentials';
import type { VerifiedSecretCache } from './verified-secret-cache';

/**
 * The shortest secret whose scrypt hash is replaced by the fast one: 22 base64url characters are
 * 128 bits when random. Every secret the service ever made has 24 (generateUserSecret), and no
 * route takes a secret chosen by someone, but a hash written into the database by other means
 * (a test, the bench, an operator) may hide a short, guessable secret: that one keeps scrypt.
 */
export const MIN_FAST_HASH_SECRET_LENGTH = 22;

export interface UserSecretCheck {
  readonly valid: boolean;
  /** The current form of the secret's hash, to store in place of the one checked (compare-and-set). */
  readonly upgradedHash: string | null;
  /** Set when the stored hash was made under another USER_SECRET_PEPPER: its id. */
  readonly otherPepperId: string | null;
}

/**
 * Hashes and checks the secrets of the predecessor's route: new ones as HMAC-SHA-256 under the
 * pepper, former ones (scrypt) still checked and upgraded on success. No Nest, Mongo or I/O: the
 * caller reads the user and stores the upgraded hash.
 *
 * Time: an unknown user costs one HMAC, as a user with an HMAC hash does. A user whose hash is
 * still scrypt costs a scrypt run, so until their first successful call their id can be told from
 * an unknown one by the time of a wrong guess. Spending scrypt on unknown ids to hide that would
 * hand back the CPU saved here to anyone sending made-up ids.
 */
export class UserSecretHasher {
  private readonly pepper: UserSecretPepper;
  /** Checked against when the user does not exist: the same HMAC and comparison as a real check. */
  private readonly dummyHash: string;

  constructor(
    pepper: string,
    private readonly scryptChecks: VerifiedSecretCache,
  ) {
    this.pepper = userSecretPepper(pepper);
    this.dummyHash = hashUserSecret(generateUserSecret(), this.pepper);
  }

  get pepperId(): string {
    return this.pepper.id;
  }

  hash(secret: string): string {
    return hashUserSecret(secret, this.pepper);
  }

  /**
   * Only scrypt checks go through the verified-secret cache. An HMAC check costs about as much as
   * the cache's own fingerprint (one HMAC), so remembering it would save nothing and only keep
   * fingerprints in memory. A scrypt check still gains: concurrent first calls of one user share
   * one scrypt run, and a hash that could not be upgraded (a short secret, a failed write) does
   * not cost scrypt again within the TTL.
   */
  async check(userId: string, secret: string, storedHash: string): Promise<UserSecretCheck> {
    if (isPepperedHash(storedHash)) {
      const valid = verifyPepperedSecret(secret, storedHash, this.pepper);
      const id = pepperIdOf(storedHash);
      return { valid, upgradedHash: null, otherPepperId: id !== null && id !== this.pepper.id ? id : null };
    }
    const valid = await this.scryptChecks.verify(userId, secret, storedHash, () =>
      verifySecret(secret, storedHash),
    );
    const upgrade = valid && secret.length >= MIN_FAST_HASH_SECRET_LENGTH;
    return { valid, upgradedHash: upgrade ? this.hash(secret) : null, otherPepperId: null };
  }

  /** Spends what checking a known user's secret spends, so response times do not tell which ids exist. */
  checkUnknownUser(secret: string): false {
    verifyPepperedSecret(secret, this.dummyHash, this.pepper);
    return false;
  }
}
