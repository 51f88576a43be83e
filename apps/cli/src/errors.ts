import type { ApiError } from '@app/client';

/**
 * What can go wrong in a command, each with its own exit code so that scripts can tell "I called
 * it wrong" from "the API said no" from "nothing answered".
 */
export const EXIT = {
  ok: 0,
  /** A bug or an unexpected failure (a file that cannot be read, …). */
  failure: 1,
  /** Bad flags or arguments: nothing was sent. */
  usage: 2,
  /** The API answered with an error (4xx/5xx). */
  api: 3,
  /** The API could not be reached (refused, DNS, timeout). */
  connection: 4,
  /** A job that was waited for ended failed or cancelled. */
  jobNotCompleted: 5,
  /** Interrupted (Ctrl-C): 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The v1 error body (the generated ApiError), every field optional as a proxy in between may answer
 * anything; validation errors may carry their messages as a list.
 */
export type ApiErrorBody = Partial<Omit<ApiError, 'message' | 'error'>> & {
  error?: string;
  message?: string | string[];
};

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** The API answered with an error (named apart from the generated ApiError body type). */
export class ApiAnswerError extends CliError {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
    readonly rawBody: string,
    readonly requestId: string | null,
  ) {
    super(renderApiError(status, body, rawBody, requestId), EXIT.api);
  }
}

export class ConnectionError extends CliError {
  constructor(message: string) {
    super(message, EXIT.connection);
  }
}

export class JobNotCompletedError extends CliError {
  constructor(jobId: string, status: string, error: string | null) {
    super(`job ${jobId} ended ${status}${error ? `: ${error}` : ''}`, EXIT.jobNotCompleted);
  }
}

const DETAILS_MAX = 300;

/** Collapses whitespace so that any text fits on the one error line. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * `409 codes_exhausted: No codes left for brand acme (details: {…}) [request 5f…]`: the error
 * body on one line; a body that is not the API's (a proxy's HTML page) is shown cut short.
 */
export function renderApiError(
  status: number,
  body: ApiErrorBody | null,
  rawBody: string,
  requestId: string | null = null,
): string {
  const parts: string[] = [String(body?.statusCode ?? status)];
  if (body && (body.error !== undefined || body.message !== undefined)) {
    if (body.error) parts.push(`${body.error}:`);
    const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? '');
    if (message) parts.push(oneLine(message));
    if (body.details !== undefined && body.details !== null) {
      parts.push(`(details: ${truncate(JSON.stringify(body.details), DETAILS_MAX)})`);
    }
  } else {
    const text = oneLine(rawBody);
    parts.push(text ? truncate(text, DETAILS_MAX) : '(empty answer)');
  }
  if (requestId) parts.push(`[request ${requestId}]`);
  return parts.join(' ').replace(/: ?$/, '');
}

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** Node's fetch hides the socket error in `cause` (possibly nested): find its code. */
export function socketErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const SOCKET_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/**
 * A failed request as one line naming where it went, when nothing answered: fetch's own
 * `TypeError('fetch failed')` over a socket error, or our timeout. Anything else (a bug, a body
 * that is not JSON, a file that cannot be read) is returned as it is, to end as an unexpected
 * failure (exit 1) rather than be passed off as "cannot reach".
 */
export function toConnectionError(error: unknown, url: string, timeoutMs?: number): unknown {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') {
    return new ConnectionError(`no answer from ${url} within ${timeoutMs ?? '?'} ms (--timeout)`);
  }
  if (!(error instanceof TypeError) || error.message !== 'fetch failed') return error;
  const code = socketErrorCode(error.cause);
  if (code === undefined || !isSocketErrorCode(code)) return error;
  return new ConnectionError(`cannot reach ${url}: ${SOCKET_ERRORS[code] ?? 'network error'} (${code})`);
}

/** undici's own, the system's network and TLS errors; not a file's (EACCES, EIO, …). */
const isSocketErrorCode = (code: string): boolean =>
  code in SOCKET_ERRORS || NETWORK_ERRORS.has(code) || NETWORK_ERROR_PREFIX.test(code);

const NETWORK_ERRORS = new Set(['ECONNABORTED', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'EHOSTDOWN']);
const NETWORK_ERROR_PREFIX = /^(UND_ERR_|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

/** fetch's own message is only "fetch failed": the reason is in its causes. */
export function innermostMessage(error: unknown): string {
  let message = errorText(error);
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error && current.message) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/** Duck-typed: errors made by another realm (a VM context, jest's) are no `instanceof Error`. */
export const errorText = (error: unknown): string => {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
};
