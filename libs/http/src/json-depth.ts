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
