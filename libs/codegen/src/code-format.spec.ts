import fc from 'fast-check';
import { DomainError } from '@app/contracts';
import {
  ALPHABET_MIN_SIZE,
  CODE_LENGTH_MAX,
  CODE_LENGTH_MIN,
  DEFAULT_ALPHABET,
  DEFAULT_CODE_LENGTH,
  InvalidCodeFormatError,
  PREFIX_MAX_LENGTH,
  PREFIX_PATTERN,
  resolveCodeFormat,
  URL_SAFE_CHARACTERS,
} from './code-format';
import {
  PREFIX_CHARACTERS,
  validAlphabet,
  validFormat,
  validLength,
  validPrefix,
} from '../test/code-format.arbitraries';

/** Half ASCII, where the near misses are (lower case, "_", "."), half any code point. */
const anyCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0x10ffff }))
  .map((codePoint) => String.fromCodePoint(codePoint));

function rejectionOf(run: () => unknown): InvalidCodeFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidCodeFormatError) return error;
    throw error;
  }
  throw new Error('expected InvalidCodeFormatError, nothing was thrown');
}

describe('resolveCodeFormat', () => {
  it('applies the defaults', () => {
    expect(resolveCodeFormat()).toEqual({ length: 8, prefix: '', alphabet: DEFAULT_ALPHABET });
    expect(resolveCodeFormat({})).toEqual(resolveCodeFormat());
    expect(DEFAULT_CODE_LENGTH).toBe(8);
  });

  it('uses an alphabet without look-alike characters by default', () => {
    expect(DEFAULT_ALPHABET).toBe('23456789ABCDEFGHJKMNPQRSTUVWXYZ');
    expect(DEFAULT_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('defines the URL-safe set as the 66 RFC 3986 unreserved characters', () => {
    expect(new Set(URL_SAFE_CHARACTERS).size).toBe(66);
    for (const c of URL_SAFE_CHARACTERS) expect(encodeURIComponent(c)).toBe(c);
  });

  it('accepts every valid format unchanged', () => {
    fc.assert(
      fc.property(validFormat, (format) => {
        expect(resolveCodeFormat(format)).toEqual(format);
      }),
    );
  });

  it('rejects lengths that are not whole numbers from 6 to 32', () => {
    const invalidLength = fc.oneof(
      fc.integer({ max: CODE_LENGTH_MIN - 1 }),
      fc.integer({ min: CODE_LENGTH_MAX + 1 }),
      fc.double().filter((n) => !Number.isInteger(n)),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(invalidLength, (length) => {
        const error = rejectionOf(() => resolveCodeFormat({ length }));
        expect(error.field).toBe('length');
        expect(error.message).toContain('length');
        expect(error.message).toContain(`${CODE_LENGTH_MIN} to ${CODE_LENGTH_MAX}`);
      }),
    );
  });

  it('rejects prefixes that are too long or hold other characters', () => {
    const tooLong = fc
      .array(fc.constantFrom(...PREFIX_CHARACTERS), {
        minLength: PREFIX_MAX_LENGTH + 1,
        maxLength: 40,
      })
      .map((chars) => chars.join(''));
    const withForeignCharacter = fc
      .tuple(validPrefix, anyCharacter, validPrefix)
      .filter(([, c]) => !PREFIX_CHARACTERS.includes(c))
      .map(([before, c, after]) => before + c + after);
    fc.assert(
      fc.property(fc.oneof(tooLong, withForeignCharacter), (prefix) => {
        expect(PREFIX_PATTERN.test(prefix)).toBe(false);
        const error = rejectionOf(() => resolveCodeFormat({ prefix }));
        expect(error.field).toBe('prefix');
        expect(error.message).toContain(`at most ${PREFIX_MAX_LENGTH}`);
      }),
    );
  });

  it('rejects alphabets that are too small', () => {
    const tooSmall = fc
      .shuffledSubarray([...URL_SAFE_CHARACTERS], { maxLength: ALPHABET_MIN_SIZE - 1 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(tooSmall, (alphabet) => {
        const error = rejectionOf(() => resolveCodeFormat({ alphabet }));
        expect(error.field).toBe('alphabet');
        expect(error.message).toContain(`at least ${ALPHABET_MIN_SIZE}`);
      }),
    );
  });

  it('rejects alphabets that repeat a character', () => {
    const withRepeat = fc.tuple(validAlphabet, fc.nat(), fc.nat()).map(([alphabet, from, to]) => {
      const at = to % (alphabet.length + 1);
      return alphabet.slice(0, at) + alphabet[from % alphabet.length] + alphabet.slice(at);
    });
    fc.assert(
      fc.property(withRepeat, (alphabet) => {
        const error = rejectionOf(() => resolveCodeFormat({ alphabet }));
        expect(error.field).toBe('alphabet');
        expect(error.message).toContain('repeat');
      }),
    );
  });

  it('rejects alphabets with a character that is not URL-safe', () => {
    const withUnsafe = fc
      .tuple(validAlphabet, anyCharacter, fc.nat())
      .filter(([, c]) => !URL_SAFE_CHARACTERS.includes(c))
      .map(([alphabet, c, at]) => {
        const i = at % (alphabet.length + 1);
        return alphabet.slice(0, i) + c + alphabet.slice(i);
      });
    fc.assert(
      fc.property(withUnsafe, (alphabet) => {
        const error = rejectionOf(() => resolveCodeFormat({ alphabet }));
        expect(error.field).toBe('alphabet');
        expect(error.message).toContain('may only contain');
      }),
    );
  });

  it('raises a DomainError with code invalid_input, for any valid field next to a bad one', () => {
    fc.assert(
      fc.property(validLength, validPrefix, (length, prefix) => {
        const error = rejectionOf(() => resolveCodeFormat({ length, prefix, alphabet: 'ABC' }));
        expect(error).toBeInstanceOf(DomainError);
        expect(error.code).toBe('invalid_input');
        expect(error.name).toBe('InvalidCodeFormatError');
      }),
    );
  });

  it('rejects values of the wrong type that reach it from untyped input', () => {
    const untyped = (options: unknown) => () => resolveCodeFormat(options as never);
    expect(rejectionOf(untyped({ length: '8' })).field).toBe('length');
    expect(rejectionOf(untyped({ prefix: 42 })).field).toBe('prefix');
    expect(rejectionOf(untyped({ alphabet: ['A'] })).field).toBe('alphabet');
  });
});
