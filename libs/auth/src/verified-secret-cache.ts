import { createHmac, randomBytes } from 'node:crypto';

export interface VerifiedSecretCacheOptions {
  /** How long a successful check is remembered, in ms; 0 turns the cache off. */
  readonly ttlMs: number;
  /** Most checks remembered at once (the oldest go first); 0 turns the cache off. */
  readonly maxEntries: number;
  /** The clock, for tests. */
  readonly now?: () => number;
}

/**
 * Remembers for a short while that a user's secret checked out, so that a user calling the
 * predecessor's route again (a flash sale's refresh button) skips the deliberately slow scrypt
 * check. Only scrypt hashes (stored before the HMAC form) come here: see UserSecretHasher.check.
 * It does not weaken the check:
 *
 * - Only successes are remembered, under HMAC(process key, user id, secret, stored hash). A wrong
 *   secret gives another fingerprint, so it is always checked with scrypt and always refused.
 * - The stored hash is part of the fingerprint: the check is a pure function of (secret, stored
 *   hash), so an entry can never outlive a change of the user's secret.
 * - The key is random per process and never leaves it: the fingerprints are worthless elsewhere
 *   and the cache is empty after every restart. The secret itself is not kept.
 * - Concurrent checks of the same fingerprint share one scrypt run (right or wrong).
 *
 * What it does give up is documented in the README ("The predecessor's secret check").
 */
export class VerifiedSecretCache {
  private readonly key = randomBytes(32);
  /** fingerprint → expiry time; Map order is insertion order, so the first entry is the oldest. */
  private readonly verified = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly now: () => number;

  constructor(private readonly options: VerifiedSecretCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0 && this.options.maxEntries > 0;
  }

  /** Checks remembered right now (expired ones may still count until they are next looked at). */
  get size(): number {
    return this.verified.size;
  }

  /**
   * True when `secret` is the user's secret: from memory when this exact check succeeded within
   * the TTL, otherwise by running `check` (the slow comparison with `storedHash`).
   */
  async verify(
    userId: string,
    secret: string,
    storedHash: string,
    check: () => Promise<boolean>,
  ): Promise<boolean> {
    if (!this.enabled) return check();
    const fingerprint = this.fingerprint(userId, secret, storedHash);
    const expiresAt = this.verified.get(fingerprint);
    if (expiresAt !== undefined) {
      if (expiresAt > this.now()) return true;
      this.verified.delete(fingerprint);
    }
    let pending = this.inFlight.get(fingerprint);
    if (!pending) {
      pending = check();
      this.inFlight.set(fingerprint, pending);
      try {
        const valid = await pending;
        if (valid) this.remember(fingerprint);
        return valid;
      } finally {
        this.inFlight.delete(fingerprint);
      }
    }
    return pending;
  }

  private fingerprint(userId: string, secret: string, storedHash: string): string {
    return createHmac('sha256', this.key)
      .update(JSON.stringify([userId, secret, storedHash]))
      .digest('base64url');
  }

  private remember(fingerprint: string): void {
    this.verified.delete(fingerprint);
    while (this.verified.size >= this.options.maxEntries) {
      const oldest = this.verified.keys().next();
      if (oldest.done) break;
      this.verified.delete(oldest.value);
    }
    this.verified.set(fingerprint, this.now() + this.options.ttlMs);
  }
}
