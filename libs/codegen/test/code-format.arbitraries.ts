import fc from 'fast-check';
import {
  ALPHABET_MIN_SIZE,
  CODE_LENGTH_MAX,
  CODE_LENGTH_MIN,
  type CodeFormat,
  PREFIX_MAX_LENGTH,
  URL_SAFE_CHARACTERS,
} from '../src/code-format';

/** Test support shared by the codegen specs; kept out of src so it never ships. */
export const PREFIX_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-';

export const validLength = fc.integer({ min: CODE_LENGTH_MIN, max: CODE_LENGTH_MAX });

export const validPrefix = fc
  .array(fc.constantFrom(...PREFIX_CHARACTERS), { maxLength: PREFIX_MAX_LENGTH })
  .map((chars) => chars.join(''));

/** Distinct URL-safe characters in a random order, as a caller could supply them. */
export const validAlphabet = fc
  .shuffledSubarray([...URL_SAFE_CHARACTERS], { minLength: ALPHABET_MIN_SIZE })
  .map((chars) => chars.join(''));

export const validFormat: fc.Arbitrary<CodeFormat> = fc.record({
  length: validLength,
  prefix: validPrefix,
  alphabet: validAlphabet,
});
