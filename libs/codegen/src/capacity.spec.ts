import fc from 'fast-check';
import { DomainError } from '@app/contracts';
import {
  assertCapacity,
  CapacityExceededError,
  checkCapacity,
  codeSpaceSize,
  remainingCapacity,
} from './capacity';
import { resolveCodeFormat, URL_SAFE_CHARACTERS } from './code-format';
import { validFormat } from '../test/code-format.arbitraries';

const TEN_BY_SIX = resolveCodeFormat({ alphabet: '0123456789', length: 6 });
const WIDEST = resolveCodeFormat({ alphabet: URL_SAFE_CHARACTERS, length: 32 });

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('code space and capacity', () => {
  it('counts a small space by hand: 10 characters, length 6', () => {
    expect(codeSpaceSize(TEN_BY_SIX)).toBe(1_000_000n);
    expect(checkCapacity(TEN_BY_SIX, 9_000, 1_000)).toEqual({
      codeSpace: 1_000_000n,
      limit: 10_000n,
      inUse: 9_000n,
      requested: 1_000n,
      afterRequest: 10_000n,
      allowed: true,
    });
    expect(checkCapacity(TEN_BY_SIX, 9_000, 1_001)).toMatchObject({
      afterRequest: 10_001n,
      allowed: false,
    });
  });

  it('rounds the limit down: 31^6 = 887,503,681 allows 8,875,036', () => {
    const format = resolveCodeFormat({ length: 6 });
    expect(checkCapacity(format, 0n, 8_875_036n)).toMatchObject({
      limit: 8_875_036n,
      allowed: true,
    });
    expect(checkCapacity(format, 1n, 8_875_036n).allowed).toBe(false);
  });

  it('computes 66^32 exactly, without overflow', () => {
    // 66 ** 32, as Python's arbitrary-precision integers print it.
    const space = 16_803_739_386_732_805_588_924_132_780_810_339_299_166_149_216_244_183_597_056n;
    expect(codeSpaceSize(WIDEST)).toBe(space);
    const check = checkCapacity(WIDEST, Number.MAX_SAFE_INTEGER, 10n ** 50n);
    expect(check.limit).toBe(space / 100n);
    expect(check.afterRequest).toBe(BigInt(Number.MAX_SAFE_INTEGER) + 10n ** 50n);
    expect(check.allowed).toBe(true);
  });

  it('allows a request exactly when in use + requested ≤ floor(space / 100)', () => {
    const amount = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 60n }), fc.nat());
    fc.assert(
      fc.property(validFormat, amount, amount, (format, inUse, requested) => {
        const check = checkCapacity(format, inUse, requested);
        const limit = codeSpaceSize(format) / 100n;
        expect(check.limit).toBe(limit);
        expect(check.allowed).toBe(BigInt(inUse) + BigInt(requested) <= limit);
        expect(remainingCapacity(check)).toBe(limit > BigInt(inUse) ? limit - BigInt(inUse) : 0n);
      }),
    );
  });

  it('also decides at the boundary for small spaces', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (inUse, requested) => {
          expect(checkCapacity(TEN_BY_SIX, inUse, requested).allowed).toBe(inUse + requested <= 10_000);
        },
      ),
    );
  });

  it('throws a capacity_exceeded error a person can act on, with JSON-safe details', () => {
    const format = resolveCodeFormat({ alphabet: URL_SAFE_CHARACTERS.slice(0, 10), length: 6 });
    expect(assertCapacity(format, 9_000, 1_000).allowed).toBe(true);
    const error = thrown(() => assertCapacity(format, 9_988, 500));
    expect(error).toBeInstanceOf(CapacityExceededError);
    expect(error).toBeInstanceOf(DomainError);
    const { code, message, details } = error as CapacityExceededError;
    expect(code).toBe('capacity_exceeded');
    expect(message).toBe(
      'Requested 500 codes but only 12 of the 10,000 allowed for this format ' +
        '(1% of 1,000,000 possible) remain; use a longer code or a larger alphabet',
    );
    expect(details).toEqual({
      codeSpace: '1000000',
      limit: '10000',
      inUse: '9988',
      requested: '500',
      remaining: '12',
    });
    expect(() => JSON.stringify(details)).not.toThrow();
  });

  it('reports no room rather than a negative remainder when already over the limit', () => {
    const error = thrown(() => assertCapacity(TEN_BY_SIX, 12_000, 1)) as CapacityExceededError;
    expect(error.message).toContain('Requested 1 code but only 0 of the 10,000');
    expect(error.details).toMatchObject({ remaining: '0' });
  });

  it('refuses counts that are negative or not whole numbers', () => {
    for (const bad of [-1, 1.5, Number.NaN, -1n]) {
      expect(() => checkCapacity(TEN_BY_SIX, bad, 0)).toThrow(RangeError);
      expect(() => checkCapacity(TEN_BY_SIX, 0, bad)).toThrow(RangeError);
    }
  });
});
