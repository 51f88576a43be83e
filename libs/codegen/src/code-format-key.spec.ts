import fc from 'fast-check';
import { type CodeFormat, resolveCodeFormat } from './code-format';
import { codeFormatKey } from './code-format-key';
import { validAlphabet, validFormat, validLength, validPrefix } from '../test/code-format.arbitraries';

/** sha256('v1||8|23456789ABCDEFGHJKMNPQRSTUVWXYZ'), first 16 hex digits. */
const DEFAULT_FORMAT_KEY = 'c1e0c360f4e92a71';

const sortedAlphabet = (format: CodeFormat) => [...format.alphabet].sort().join('');

describe('codeFormatKey', () => {
  it('is 16 hex characters and the same for equal formats', () => {
    fc.assert(
      fc.property(validFormat, (format) => {
        const key = codeFormatKey(format);
        expect(key).toMatch(/^[0-9a-f]{16}$/);
        expect(codeFormatKey({ ...format })).toBe(key);
        expect(codeFormatKey(resolveCodeFormat(format))).toBe(key);
      }),
    );
  });

  it('does not change between releases (keys are stored with the codes)', () => {
    expect(codeFormatKey(resolveCodeFormat())).toBe(DEFAULT_FORMAT_KEY);
  });

  it('differs whenever the set of possible codes differs', () => {
    fc.assert(
      fc.property(validFormat, validFormat, (a, b) => {
        const sameSpace =
          a.prefix === b.prefix && a.length === b.length && sortedAlphabet(a) === sortedAlphabet(b);
        expect(codeFormatKey(a) === codeFormatKey(b)).toBe(sameSpace);
      }),
    );
  });

  it('differs when exactly one field changes', () => {
    fc.assert(
      fc.property(
        validFormat,
        validLength,
        validPrefix,
        validAlphabet,
        (format, length, prefix, alphabet) => {
          const key = codeFormatKey(format);
          if (length !== format.length) expect(codeFormatKey({ ...format, length })).not.toBe(key);
          if (prefix !== format.prefix) expect(codeFormatKey({ ...format, prefix })).not.toBe(key);
          const other = { ...format, alphabet };
          if (sortedAlphabet(other) !== sortedAlphabet(format)) expect(codeFormatKey(other)).not.toBe(key);
        },
      ),
    );
  });

  it('ignores the order of the alphabet, which changes no possible code', () => {
    fc.assert(
      fc.property(validFormat, (format) => {
        const reversed = { ...format, alphabet: [...format.alphabet].reverse().join('') };
        expect(codeFormatKey(reversed)).toBe(codeFormatKey(format));
      }),
    );
  });
});
