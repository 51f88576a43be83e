import { URL_SAFE_CHARACTERS } from '@app/codegen';

export const IMPORT_CODE_MIN_LENGTH = 4;
export const IMPORT_CODE_MAX_LENGTH = 64;

/** One line (CSV, NDJSON) or array element (JSON) of an import, before validation. */
export interface RawImportEntry {
  /** 1-based: the line of the file, or the element of a JSON array. */
  readonly line: number;
  readonly code: unknown;
  readonly expiresAt?: unknown;
  /** Why the line is unusable before its fields are even looked at (bad JSON, extra fields). */
  readonly problem?: string;
}

export interface ValidImportEntry {
  readonly line: number;
  readonly code: string;
  readonly expiresAt?: Date;
}

export interface RejectedImportEntry {
  readonly line: number;
  readonly code?: string;
  readonly reason: string;
}

const escaped = URL_SAFE_CHARACTERS.replace(/[-.~]/g, (c) => `\\${c}`);
/** The characters generated codes may use (they travel in URL paths and CSV cells unescaped). */
const CODE_PATTERN = new RegExp(`^[${escaped}]{${IMPORT_CODE_MIN_LENGTH},${IMPORT_CODE_MAX_LENGTH}}$`);
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
/** A rejected code is echoed back only this long: the report must stay small. */
const ECHO_MAX = IMPORT_CODE_MAX_LENGTH;

/** Checks one entry: a code the generator could have made, and an expiry in the future if any. */
export function validateImportEntry(
  entry: RawImportEntry,
  now: Date,
): { ok: ValidImportEntry } | { rejected: RejectedImportEntry } {
  const { line, code, expiresAt } = entry;
  if (entry.problem !== undefined) {
    return {
      rejected: {
        line,
        ...(typeof code === 'string' ? { code: code.slice(0, ECHO_MAX) } : {}),
        reason: entry.problem,
      },
    };
  }
  if (typeof code !== 'string' || code === '') {
    return { rejected: { line, reason: 'missing code' } };
  }
  const echo = code.slice(0, ECHO_MAX);
  if (!CODE_PATTERN.test(code)) {
    return {
      rejected: {
        line,
        code: echo,
        reason: `code must be ${IMPORT_CODE_MIN_LENGTH}–${IMPORT_CODE_MAX_LENGTH} characters of A–Z, a–z, 0–9, "-", ".", "_", "~"`,
      },
    };
  }
  if (expiresAt === undefined || expiresAt === null || expiresAt === '') return { ok: { line, code } };
  if (typeof expiresAt !== 'string' || !ISO_8601.test(expiresAt) || Number.isNaN(Date.parse(expiresAt))) {
    return { rejected: { line, code, reason: 'expiresAt must be an ISO 8601 date-time' } };
  }
  const expiry = new Date(expiresAt);
  if (expiry.getTime() <= now.getTime()) {
    return { rejected: { line, code, reason: 'expiresAt must be in the future' } };
  }
  return { ok: { line, code, expiresAt: expiry } };
}
