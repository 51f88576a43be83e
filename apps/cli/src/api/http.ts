/**
 * The one place requests leave the CLI: fetch, with the socket errors Node hides in `cause` turned
 * into ConnectionError, and error answers into ApiError (the v1 body, rendered on one line).
 */
import { ApiError, toConnectionError, type ApiErrorBody } from '../errors';

export interface RequestOptions {
  token?: string;
  /** JSON-encoded when it is not a stream. */
  json?: unknown;
  /** A streamed body (an import): sent as is, with duplex 'half' as Node's fetch requires. */
  stream?: ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  /** Who is called, for a connection error: "the generator at http://…". */
  label?: string;
  /** Until the answer's headers; undefined: no limit (streams go on as long as bytes move). */
  timeoutMs?: number;
}

export async function send(baseUrl: string, method: string, path: string, opts: RequestOptions = {}) {
  const url = `${baseUrl}${path}`;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: ReadableStream<Uint8Array> | string | undefined;
  if (opts.stream) body = opts.stream;
  else if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  let response: Response;
  try {
    response = await fetchWithin(
      url,
      { method, headers, body, ...(opts.stream ? { duplex: 'half' } : {}) },
      opts.timeoutMs,
    );
  } catch (error) {
    throw toConnectionError(error, opts.label ?? url, opts.timeoutMs);
  }
  if (!response.ok) throw await apiErrorOf(response);
  return response;
}

/**
 * fetch, aborted when no answer's headers came within timeoutMs (undefined: never): an export's
 * body may then stream for as long as it takes.
 */
export async function fetchWithin(
  input: Request | string,
  init: RequestInit,
  timeoutMs: number | undefined,
): Promise<Response> {
  const controller = new AbortController();
  const timer =
    timeoutMs !== undefined
      ? setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs)
      : undefined;
  try {
    return await fetch(input, { ...init, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

/** The answer's JSON (204 and empty bodies: null). */
export async function jsonOf<T>(response: Response): Promise<T> {
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

export async function apiErrorOf(response: Response): Promise<ApiError> {
  const raw = await response.text().catch(() => '');
  return new ApiError(response.status, parseErrorBody(raw), raw, response.headers.get('x-request-id'));
}

export function parseErrorBody(raw: string): ApiErrorBody | null {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
