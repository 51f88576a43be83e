import type { ErrorCode } from '@app/contracts';

/** The one place a domain error code becomes an HTTP status. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'invalid_input':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
    case 'admin_port_only':
      return 403;
    case 'not_found':
    case 'brand_not_found':
    case 'campaign_not_found':
    case 'code_not_found':
    case 'redemption_not_found':
      return 404;
    case 'brand_exists':
    case 'user_exists':
    case 'codes_exhausted':
    case 'campaign_exists':
    case 'campaign_not_active':
    case 'code_not_redeemable':
    case 'rollback_window_passed':
    case 'invalid_state':
    case 'quota_exceeded':
    case 'idempotency_key_in_use':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'capacity_exceeded':
    case 'idempotency_key_reused':
      return 422;
    case 'request_timeout':
      return 408;
    case 'rate_limited':
    case 'too_many_jobs':
    case 'too_many_exports':
      return 429;
    case 'headers_too_large':
      return 431;
    case 'service_unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

/** For errors that arrive with only a status (framework and parser errors). */
export function errorCodeOf(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 408:
      return 'request_timeout';
    case 429:
      return 'rate_limited';
    case 431:
      return 'headers_too_large';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 500 ? 'internal' : 'invalid_input';
  }
}
