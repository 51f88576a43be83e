import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DomainError } from '@app/contracts';

// The pure parts of idempotent writes: the key's form, the record id, the request fingerprint,
// which answers are kept, and the sealing of a kept answer. The interceptor wires them up.

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** As long as Stripe's: room for a UUID, a ULID or an order number with a prefix. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
export const IDEMPOTENCY_KEY_DESCRIPTION = `1–${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters (no spaces), unique per write, e.g. a UUID`;
const KEY_FORM = new RegExp(`^[\\x21-\\x7e]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);

/** The key of a request, or a 400 saying what a key must be (nothing has been done yet). */
export function parseIdempotencyKey(header: string | string[]): string {
  if (typeof header === 'string' && KEY_FORM.test(header)) return header;
  throw new DomainError(
    'invalid_input',
    Array.isArray(header)
      ? `Send one ${IDEMPOTENCY_HEADER} header, not ${header.length}`
      : `${IDEMPOTENCY_HEADER} must be ${IDEMPOTENCY_KEY_DESCRIPTION}`,
  );
}

const sha256 = (...parts: string[]) => {
  const hash = createHash('sha256');
  // Length-prefixed, so that no two different part lists hash alike.
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:${part}`);
  return hash;
};

/** The record's id: service, caller and key, hashed so that the database never holds the key. */
export function recordIdOf(scope: string, key: string): string {
  return sha256('idempotency-record', scope, key).digest('hex');
}

/**
 * The key that seals the stored answer: derived from the Idempotency-Key, which only the caller
 * holds. An answer may carry a secret shown once (a brand's API key, a user's secret); whoever
 * reads the database sees it encrypted, and the record id does not give the key back.
 */
function sealingKeyOf(scope: string, key: string): Buffer {
  return sha256('idempotency-seal', scope, key).digest();
}

/** JSON with object keys sorted, so that the same body always fingerprints alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests "the same": method, path with query, and the parsed body. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return sha256(method.toUpperCase(), url, canonicalJson(body)).digest('base64url');
}

/**
 * Which answers are kept for the key, as Stripe does: those the handler reached by doing (or
 * refusing) the work. Not kept, so that the same key may be tried again: a refused input
 * (invalid_input: nothing was done, and a corrected body may follow), "try later" answers
 * (408, 429) and server errors (5xx, 503 while a dependency is down).
 */
export function isKeptAnswer(status: number): boolean {
  if (status >= 200 && status < 300) return true;
  return status >= 400 && status < 500 && status !== 400 && status !== 408 && status !== 429;
}

export interface AnswerToKeep {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function sealAnswer(scope: string, key: string, recordId: string, answer: AnswerToKeep): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKeyOf(scope, key), iv);
  cipher.setAAD(Buffer.from(recordId));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

export function openAnswer(scope: string, key: string, recordId: string, sealed: string): AnswerToKeep {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', sealingKeyOf(scope, key), bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(recordId));
  decipher.setAuthTag(bytes.subarray(12, 28));
  const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(text) as AnswerToKeep;
}
