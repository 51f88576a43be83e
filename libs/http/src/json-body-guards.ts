/**
 * Checks on a JSON request body's text before it is parsed: what would otherwise reach the
 * handlers as a 500 from a few bytes of input.
 */

/**
 * How deeply a request body's JSON may nest. Every body of these APIs is a flat object; the limit
 * is there because validation (class-transformer) walks nested values recursively, and a 64 KiB
 * body of "[[[[…" would otherwise overflow the stack: a 500 from a few bytes of input.
 */
export const MAX_JSON_DEPTH = 16;

/** True when `text` opens more than `maxDepth` nested arrays or objects (strings are skipped). */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/**
 * True when a string of `text` holds U+0000 (only as the escape \u0000: JSON has no raw control
 * characters). No field of these APIs means one, and PostgreSQL (under the FerretDB dev server)
 * cannot store it in a document: a 500 instead of a 400.
 */
export function jsonHoldsNul(text: string): boolean {
  for (let i = text.indexOf('\\u0000'); i !== -1; i = text.indexOf('\\u0000', i + 1)) {
    // An escape only when an even number of backslashes precedes this one (`\\u0000` is text).
    let backslashes = 0;
    while (i - backslashes - 1 >= 0 && text.charCodeAt(i - backslashes - 1) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return true;
  }
  return false;
}
