import { createHash } from 'node:crypto';
import type { CodeFormat } from './code-format';

const KEY_VERSION = 'v1';

/**
 * A short, stable name for a code space, for grouping codes when counting capacity. The alphabet
 * is sorted first because its order changes which code a byte maps to, never which codes can
 * exist. "|" cannot occur in a prefix or an alphabet, so the joined fields are unambiguous.
 */
export function codeFormatKey(format: CodeFormat): string {
  const alphabet = [...format.alphabet].sort().join('');
  return createHash('sha256')
    .update([KEY_VERSION, format.prefix, String(format.length), alphabet].join('|'))
    .digest('hex')
    .slice(0, 16);
}
