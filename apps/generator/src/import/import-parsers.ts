import { DomainError } from '@app/contracts';
import type { RawImportEntry } from './import-entry';

/**
 * No valid line comes near this (a code is ≤ 64 characters, an expiry ~30): longer lines are cut
 * here, so one endless line cannot hold the whole body in memory, and rejected by the readers.
 */
export const IMPORT_LINE_MAX = 1_024;

/**
 * The body's lines, split as the bytes arrive: only one chunk and one partial line are in memory.
 * More than `maxBytes` in all ends the import with payload_too_large; a body cut off (the client
 * went away) with invalid_input.
 */
export async function* bodyLines(
  body: AsyncIterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let received = 0;
  let pending = '';
  try {
    for await (const chunk of body) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > maxBytes) throw tooLarge(maxBytes);
      pending += decoder.decode(bytes, { stream: true });
      let start = 0;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        yield stripCr(pending.slice(start, Math.min(newline, start + IMPORT_LINE_MAX + 1)));
        start = newline + 1;
        newline = pending.indexOf('\n', start);
      }
      pending = pending.slice(start, start + IMPORT_LINE_MAX + 1);
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('invalid_input', `The import body ended early: ${(error as Error).message}`);
  }
  pending += decoder.decode();
  if (pending !== '') yield stripCr(pending.slice(0, IMPORT_LINE_MAX + 1));
}

const overlong = (text: string): string | undefined =>
  text.length > IMPORT_LINE_MAX ? `line longer than ${IMPORT_LINE_MAX} characters` : undefined;

export const tooLarge = (maxBytes: number) =>
  new DomainError('payload_too_large', `The import body is larger than ${maxBytes} bytes (IMPORT_MAX_BYTES)`);

const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/**
 * One CSV record (RFC 4180 quoting: "a,b", doubled quotes). A record per line: codes and dates
 * hold no line breaks, so quoted line breaks are not supported.
 */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/** A first line `code` or `code,expiresAt` (any case) is a header, not a code. */
export function isCsvHeader(fields: readonly string[]): boolean {
  const [first, second] = fields.map((f) => f.toLowerCase());
  return first === 'code' && (second === undefined || second === 'expiresat' || second === 'expires_at');
}

/** CSV lines → entries: blank lines skipped, the header (first line only) skipped. */
export async function* csvEntries(lines: AsyncIterable<string>): AsyncGenerator<RawImportEntry> {
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    const problem = overlong(text);
    if (problem) {
      yield { line, code: undefined, problem };
      continue;
    }
    const fields = csvFields(text);
    if (line === 1 && isCsvHeader(fields)) continue;
    if (fields.length > 2) {
      yield { line, code: fields[0], problem: `expected code[,expiresAt], got ${fields.length} fields` };
      continue;
    }
    yield { line, code: fields[0], expiresAt: fields[1] };
  }
}

/** NDJSON lines → entries: each line a JSON string or { code, expiresAt? }; blank lines skipped. */
export async function* ndjsonEntries(lines: AsyncIterable<string>): AsyncGenerator<RawImportEntry> {
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    const problem = overlong(text);
    if (problem) {
      yield { line, code: undefined, problem };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, code: undefined, problem: 'not valid JSON' };
      continue;
    }
    yield jsonEntry(value, line);
  }
}

/** A JSON array's elements → entries (the array was parsed within the JSON body limit). */
export function* jsonArrayEntries(body: unknown): Generator<RawImportEntry> {
  if (!Array.isArray(body)) {
    throw new DomainError('invalid_input', 'A JSON import is an array of codes or of { code, expiresAt }');
  }
  for (let i = 0; i < body.length; i++) yield jsonEntry(body[i], i + 1);
}

function jsonEntry(value: unknown, line: number): RawImportEntry {
  if (typeof value === 'string') return { line, code: value };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { code, expiresAt } = value as { code?: unknown; expiresAt?: unknown };
    return { line, code, expiresAt };
  }
  return { line, code: undefined, problem: 'expected a code or { code, expiresAt }' };
}
