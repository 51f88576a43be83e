/**
 * The one place requests leave the CLI: fetch, with the socket errors Node hides in `cause` turned
 * into ConnectionError, and error answers into ApiAnswerError (the v1 body, rendered on one line).
 */
import { ApiAnswerError, CliError, EXIT, toConnectionError, type ApiErrorBody } from '../errors';

export interface RequestOptions {
  token?: string;
  /** JSON-encoded when it is not a stream. */
  json?: unknown;
  /** A streamed body (an import): sent as is, with duplex 'half' as Node's fetch requires. */
  stream?: ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  /** Who is called, for a connection error: "the generator at http://…". */
  label?: string;
  /**
   * Until the answer's headers; undefined: no limit. For a streamed body it counts from the end
   * of the upload: a large file may take longer than that to send.
   */
  timeoutMs?: number;
}

export async function send(baseUrl: string, method: string, path: string, opts: RequestOptions = {}) {
  const url = `${baseUrl}${path}`;
  const label = opts.label ?? url;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: ReadableStream<Uint8Array> | string | undefined;
  let uploaded: Promise<void> | undefined;
  if (opts.stream) ({ stream: body, ended: uploaded } = withEnd(opts.stream));
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
      uploaded,
    );
  } catch (error) {
    throw requestFailure(error, label, opts.timeoutMs);
  }
  if (!response.ok) throw await apiErrorOf(response);
  return response;
}

/** The stream as is, and a promise of its last byte having been taken. */
function withEnd(stream: ReadableStream<Uint8Array>) {
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  return { stream: stream.pipeThrough(new TransformStream({ flush: () => ended() })), ended: done };
}

/**
 * fetch, aborted when no answer's headers came within timeoutMs (undefined: never) of
 * `startsAfter` (default: now): an export's body may then stream for as long as it takes, and an
 * import's upload is not cut short by it.
 */
export async function fetchWithin(
  input: Request | string,
  init: RequestInit,
  timeoutMs: number | undefined,
  startsAfter: Promise<unknown> = Promise.resolve(),
): Promise<Response> {
  const controller = new AbortController();
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  if (timeoutMs !== undefined) {
    void startsAfter.then(() => {
      if (settled) return;
      timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
    });
  }
  try {
    return await fetch(input, { ...init, signal: controller.signal });
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}

/**
 * Why a request failed, as the error to throw: nothing answered (ConnectionError, exit 4), an
 * answer that is not JSON (exit 1, named as such), or the error as it is (exit 1).
 */
export function requestFailure(error: unknown, label: string, timeoutMs?: number): unknown {
  if (error instanceof SyntaxError) return notJson(label, error);
  return toConnectionError(error, label, timeoutMs);
}

const notJson = (label: string, error: SyntaxError) =>
  new CliError(`${label} answered with a body that is not JSON (a proxy?): ${error.message}`, EXIT.failure);

/** The answer's JSON (204 and empty bodies: null). */
export async function jsonOf<T>(response: Response, label = 'the API'): Promise<T> {
  const text = await response.text();
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch (error) {
    throw error instanceof SyntaxError ? notJson(label, error) : error;
  }
}

/** The one way a failed answer becomes ApiAnswerError: from its body's text. */
export function apiAnswerError(response: Response, rawBody: string): ApiAnswerError {
  return new ApiAnswerError(
    response.status,
    parseErrorBody(rawBody),
    rawBody,
    response.headers.get('x-request-id'),
  );
}

export async function apiErrorOf(response: Response): Promise<ApiAnswerError> {
  return apiAnswerError(response, await response.text().catch(() => ''));
}

export function parseErrorBody(raw: string): ApiErrorBody | null {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
