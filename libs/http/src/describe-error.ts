import { HttpException } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import { isDatabaseUnavailableError } from '@app/persistence';
import type { ErrorDescription } from './response-bodies';
import { errorCodeOf, httpStatusOf } from './error-status';

/**
 * Turns anything thrown while handling a request into status, code and a message a person can
 * act on. Nest hands us Fastify's own client errors (bad JSON, body too large, unsupported
 * content type) as HttpExceptions with Fastify's message. Anything unknown becomes a bare 500,
 * so internals never reach the client.
 */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof DomainError) {
    const retryAfterSeconds = error.details?.retryAfterSeconds;
    return {
      status: httpStatusOf(error.code),
      code: error.code,
      message: error.message,
      details: error.details,
      ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}),
    };
  }
  if (isDatabaseUnavailableError(error)) {
    return {
      status: 503,
      code: 'service_unavailable',
      message: 'The database is unavailable; try again shortly',
    };
  }
  if (isRouterError(error)) {
    return { status: 400, code: 'invalid_input', message: ROUTER_ERRORS[error.code] };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest's 404 message repeats the URL, which may carry a secret.
    const message = status === 404 ? 'No such route' : messageOf(error.getResponse(), error.message);
    return { status, code: errorCodeOf(status), message };
  }
  return { status: 500, code: 'internal', message: 'Internal error' };
}

/** Fastify router errors; their own messages quote the raw path, so they get ours. */
const ROUTER_ERRORS = {
  FST_ERR_BAD_URL: 'Malformed URL: bad percent-encoding',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
} as const;

function isRouterError(error: unknown): error is { code: keyof typeof ROUTER_ERRORS } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code in ROUTER_ERRORS;
}

function messageOf(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}
