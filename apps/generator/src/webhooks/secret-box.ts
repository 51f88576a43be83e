import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A key of WEBHOOK_SECRET_KEYS: its id (stored with each value) and 32 bytes of key. */
export interface SecretKey {
  readonly id: string;
  readonly key: Buffer;
}

const PREFIX = 'v1';
const IV_BYTES = 12;

/**
 * Webhook secrets at rest: AES-256-GCM under the first (current) key, stored as
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url). Every listed key still opens what it sealed,
 * so a new key can be put first while the resealer moves the stored values over to it.
 */
export class SecretBox {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;

  constructor(keys: readonly SecretKey[]) {
    if (keys.length === 0) throw new Error('SecretBox needs at least one key');
    this.currentKeyId = keys[0]!.id;
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    // The key id is authenticated too: a value cannot be passed off as sealed by another key.
    cipher.setAAD(Buffer.from(this.currentKeyId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [PREFIX, this.currentKeyId, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The plaintext; a value stored before encryption (no prefix) is returned as it is. */
  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const [, keyId = '', iv = '', tag = '', ciphertext = ''] = stored.split('.');
    const key = this.keys.get(keyId);
    if (!key)
      throw new Error(`webhook secret sealed with key "${keyId}", which WEBHOOK_SECRET_KEYS no longer lists`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  /** Whether `stored` is sealed under the current key (nothing left to reseal). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}.${this.currentKeyId}.`);
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(`${PREFIX}.`) && stored.split('.').length === 5;
}
