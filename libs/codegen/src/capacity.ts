import { DomainError } from '@app/contracts';
import type { CodeFormat } from './code-format';

/**
 * At most 1% of a code space may be handed out. Past that, random draws start colliding with the
 * unique index often enough to slow generation, and guessing a valid code stops being hopeless.
 */
export const MAX_SHARE_IN_USE = { numerator: 1n, denominator: 100n } as const;

export interface CapacityCheck {
  codeSpace: bigint;
  limit: bigint;
  inUse: bigint;
  requested: bigint;
  afterRequest: bigint;
  allowed: boolean;
}

/** Exact: 66^32 is about 1.7e58, far past the 2^53 where Number stops counting whole numbers. */
export function codeSpaceSize(format: CodeFormat): bigint {
  return BigInt(format.alphabet.length) ** BigInt(format.length);
}

export function checkCapacity(
  format: CodeFormat,
  inUse: number | bigint,
  requested: number | bigint,
): CapacityCheck {
  const codeSpace = codeSpaceSize(format);
  const limit = (codeSpace * MAX_SHARE_IN_USE.numerator) / MAX_SHARE_IN_USE.denominator;
  const used = toCount('inUse', inUse);
  const wanted = toCount('requested', requested);
  const afterRequest = used + wanted;
  return {
    codeSpace,
    limit,
    inUse: used,
    requested: wanted,
    afterRequest,
    allowed: afterRequest <= limit,
  };
}

export function assertCapacity(
  format: CodeFormat,
  inUse: number | bigint,
  requested: number | bigint,
): CapacityCheck {
  const check = checkCapacity(format, inUse, requested);
  if (!check.allowed) throw new CapacityExceededError(check);
  return check;
}

export function remainingCapacity(check: CapacityCheck): bigint {
  return check.limit > check.inUse ? check.limit - check.inUse : 0n;
}

export class CapacityExceededError extends DomainError {
  constructor(check: CapacityCheck) {
    const remaining = remainingCapacity(check);
    super(
      'capacity_exceeded',
      `Requested ${group(check.requested)} ${check.requested === 1n ? 'code' : 'codes'} but only ` +
        `${group(remaining)} of the ${group(check.limit)} allowed for this format ` +
        `(${shareText()} of ${group(check.codeSpace)} possible) remain; ` +
        'use a longer code or a larger alphabet',
      // Decimal strings: JSON.stringify throws on bigint, and these numbers outgrow Number.
      {
        codeSpace: check.codeSpace.toString(),
        limit: check.limit.toString(),
        inUse: check.inUse.toString(),
        requested: check.requested.toString(),
        remaining: remaining.toString(),
      },
    );
  }
}

/** Counts come from the database and validated requests; anything else is a bug in the caller. */
function toCount(name: string, value: number | bigint): bigint {
  if (typeof value === 'bigint' ? value < 0n : !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer (got ${String(value)})`);
  }
  return BigInt(value);
}

/** Thousands separators by hand, so messages do not depend on the runtime's ICU data or locale. */
function group(value: bigint): string {
  return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function shareText(): string {
  const percent = (Number(MAX_SHARE_IN_USE.numerator) * 100) / Number(MAX_SHARE_IN_USE.denominator);
  return `${percent}%`;
}
