import { DomainError } from '@app/contracts';

/**
 * Cursor pagination, as every listing answers it: `{items, nextCursor}`, where nextCursor is the
 * sort key of the page's last item (base64url JSON, opaque to clients) and null on the last page.
 * A cursor names a position, not an offset, so items added or removed meanwhile neither repeat
 * nor go missing.
 */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/**
 * The page of `rows`, read with `limit + 1`: the extra row tells whether there is a next page
 * without counting, and is not shown.
 */
export function pageOf<T>(rows: readonly T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The `arity` strings of a cursor encodeCursor wrote; invalid_input for anything else. */
export function decodeCursor(cursor: string, arity: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== arity || !parsed.every((p) => typeof p === 'string')) {
    throw invalidCursor();
  }
  return parsed;
}

export const invalidCursor = (): DomainError =>
  new DomainError('invalid_input', 'cursor is not a cursor this API returned');

/** Ids of records listed newest first (webhook deliveries, generation jobs): UUIDs. */
const UUID_PATTERN = /^[0-9a-f-]{36}$/;

/** The cursor of a listing sorted newest first, ties broken by id: [createdAt, id]. */
export function encodeNewestFirstCursor(last: { readonly createdAt: Date; readonly id: string }): string {
  return encodeCursor([new Date(last.createdAt).toISOString(), last.id]);
}

export function decodeNewestFirstCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = decodeCursor(cursor, 2) as [string, string];
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || !UUID_PATTERN.test(id)) throw invalidCursor();
  return { createdAt, id };
}
