/**
 * A shop's order id, stored as given: 1–128 visible ASCII characters (no spaces), so that
 * Shopify's "#1001", commercetools' UUIDs and "gid://shop/Order/1" ids all fit unchanged. Not
 * starting with = + - @: the CSV export carries it, and a spreadsheet would run such a cell as a
 * formula.
 */
export const ORDER_ID_PATTERN = /^[\x21-\x2a\x2c\x2e-\x3c\x3e\x3f\x41-\x7e][\x21-\x7e]{0,127}$/;
export const ORDER_ID_DESCRIPTION =
  '1–128 visible ASCII characters (no spaces), not starting with =, +, - or @';

/** Long enough for any code the brand can have (generated or imported: at most 64 characters). */
export const REDEEMED_CODE_MAX_LENGTH = 64;
