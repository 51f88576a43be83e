import type { ErrorCode } from '@app/contracts';

// The bodies both APIs answer with: the predecessor's envelope (success and error) and the v1 error body.

/** The predecessor's envelope, kept byte-compatible on its routes. */
export interface LegacyEnvelope {
  readonly code: string;
  readonly data: string;
  readonly message: string;
  readonly status: 'success' | 'error';
}

export const LEGACY_PATH_PREFIX = '/discounts/';

export function legacySuccess(data: string, message: string): LegacyEnvelope {
  // The predecessor answered "201" in the body of its 200 responses; clients may depend on it.
  return { code: '201', data, message, status: 'success' };
}

export function legacyError(httpStatus: number, message: string): LegacyEnvelope {
  return { code: String(httpStatus), data: '', message, status: 'error' };
}

/** The v1 error body: one shape for every error of every v1 route. */
export interface ApiErrorBody {
  readonly statusCode: number;
  readonly error: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ErrorDescription {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /** Sent as the Retry-After header (429). */
  readonly retryAfterSeconds?: number;
}

export function errorBodyFor(path: string, error: ErrorDescription): LegacyEnvelope | ApiErrorBody {
  if (path.startsWith(LEGACY_PATH_PREFIX)) return legacyError(error.status, error.message);
  return {
    statusCode: error.status,
    error: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
  };
}
