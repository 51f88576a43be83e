import { ID_PATTERN, ID_PATTERN_DESCRIPTION } from '@app/contracts';

/** The predecessor's brand ids are integers within JSON's exact range, as the schema has always said. */
export const LEGACY_BRAND_ID_MAX = Number.MAX_SAFE_INTEGER;

/** JSON number syntax: a string that reads as a number is held to the integer form's rules. */
const NUMBER_LIKE = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const CANONICAL_POSITIVE_INTEGER = /^[1-9]\d*$/;

export const LEGACY_BRAND_ID_STRING_DESCRIPTION =
  `a brand id string (${ID_PATTERN_DESCRIPTION}); a string that reads as a number must be ` +
  `the integer's own form, 1 to ${LEGACY_BRAND_ID_MAX} without leading zeros, so "1" names brand 1`;

/**
 * Why a string brand_id is refused, or undefined when it names a brand. `1` and `"1"` must name
 * the same brand, so a number-like string is only accepted where its integer would be: "0", "-1",
 * "01", "1.5" and "1e3" are refused rather than quietly naming brands apart from 0, 1, 1000 (a
 * client that stringifies its numbers would otherwise fill a brand it never meant).
 */
export function legacyBrandIdStringProblem(value: string): string | undefined {
  if (NUMBER_LIKE.test(value)) {
    const canonical = CANONICAL_POSITIVE_INTEGER.test(value) && Number(value) <= LEGACY_BRAND_ID_MAX;
    return canonical
      ? undefined
      : // The value is not echoed: a digit string can be as long as the body limit.
        'brand_id reads as a number, so it must be an integer from 1 to ' +
          `${LEGACY_BRAND_ID_MAX} written without sign, decimals, exponent or leading zeros`;
  }
  if (ID_PATTERN.test(value)) return undefined;
  return `brand_id must be an integer from 1 to ${LEGACY_BRAND_ID_MAX} or ${LEGACY_BRAND_ID_STRING_DESCRIPTION}`;
}

/** The brand a valid brand_id names: the integer's decimal form, or the string itself. */
export function legacyBrandIdOf(value: number | string): string {
  return String(value);
}
