import { DomainError } from '@app/contracts';

/** Digits and upper-case letters without 0/O and 1/I/L, so codes survive being read aloud or retyped. */
export const DEFAULT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const DEFAULT_CODE_LENGTH = 8;

/** Below 6 even large alphabets give spaces small enough to guess; above 32 nobody types a code. */
export const CODE_LENGTH_MIN = 6;
export const CODE_LENGTH_MAX = 32;
export const PREFIX_MAX_LENGTH = 16;
/** Smaller alphabets need long codes for a useful space and read like phone numbers. */
export const ALPHABET_MIN_SIZE = 10;

export const PREFIX_PATTERN = /^[A-Z0-9-]{0,16}$/;

/**
 * RFC 3986 unreserved characters: codes travel in URL paths (the seed-compatible API) and CSV
 * cells, so they must never need escaping. At 66 characters it also caps the alphabet size.
 */
export const URL_SAFE_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** `length` counts the random part only; a code is `prefix + length` characters from `alphabet`. */
export interface CodeFormat {
  readonly length: number;
  readonly prefix: string;
  readonly alphabet: string;
}

export interface CodeFormatOptions {
  length?: number;
  prefix?: string;
  alphabet?: string;
}

export type CodeFormatField = keyof CodeFormat;

export class InvalidCodeFormatError extends DomainError {
  constructor(
    readonly field: CodeFormatField,
    rule: string,
  ) {
    super('invalid_input', `Invalid code ${field}: ${rule}`, { field });
  }
}

/** Options may come straight from a request body, so every field is checked at runtime. */
export function resolveCodeFormat(options: CodeFormatOptions = {}): CodeFormat {
  const length = options.length ?? DEFAULT_CODE_LENGTH;
  const prefix = options.prefix ?? '';
  const alphabet = options.alphabet ?? DEFAULT_ALPHABET;
  assertValidLength(length);
  assertValidPrefix(prefix);
  assertValidAlphabet(alphabet);
  return Object.freeze({ length, prefix, alphabet });
}

function assertValidLength(length: unknown): asserts length is number {
  if (
    typeof length !== 'number' ||
    !Number.isInteger(length) ||
    length < CODE_LENGTH_MIN ||
    length > CODE_LENGTH_MAX
  ) {
    throw new InvalidCodeFormatError(
      'length',
      `must be a whole number from ${CODE_LENGTH_MIN} to ${CODE_LENGTH_MAX} (got ${describe(length)})`,
    );
  }
}

function assertValidPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
    throw new InvalidCodeFormatError(
      'prefix',
      `must be at most ${PREFIX_MAX_LENGTH} characters of A-Z, 0-9 and "-" (got ${describe(prefix)})`,
    );
  }
}

function assertValidAlphabet(alphabet: unknown): asserts alphabet is string {
  if (typeof alphabet !== 'string') {
    throw new InvalidCodeFormatError('alphabet', `must be a string (got ${describe(alphabet)})`);
  }
  const unsafe = [...new Set(alphabet)].filter((c) => !URL_SAFE_CHARACTERS.includes(c));
  if (unsafe.length > 0) {
    throw new InvalidCodeFormatError(
      'alphabet',
      `may only contain letters, digits, "-", ".", "_" and "~" (found ${describe(unsafe.join(''))})`,
    );
  }
  // Only ASCII is left, so characters and UTF-16 code units now count the same.
  const distinct = new Set(alphabet).size;
  if (distinct !== alphabet.length) {
    // A repeated character would be drawn more often than the others and shrink the real space.
    throw new InvalidCodeFormatError('alphabet', 'must not repeat a character');
  }
  if (distinct < ALPHABET_MIN_SIZE) {
    throw new InvalidCodeFormatError(
      'alphabet',
      `must have at least ${ALPHABET_MIN_SIZE} characters (got ${distinct})`,
    );
  }
}

/** Echoes a bad value back so the caller can spot it, cut short because it came from a request. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
