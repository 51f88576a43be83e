import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming id may look like: it is echoed in a header and written to logs. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}$/;

/**
 * The id of a request: the caller's X-Request-Id when it is sane (a proxy or client correlating
 * its own logs with ours), else a fresh UUID. Anything else is dropped, not cleaned up, so a log
 * line can never carry a caller's control characters or a megabyte of header.
 */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
