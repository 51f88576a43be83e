import { ERROR_CODES, type ErrorCode } from '@app/contracts';
import { errorCodeOf, httpStatusOf } from './error-status';

/** The contract of DESIGN.md "API contract"; `satisfies` makes a new ErrorCode a compile error here. */
const EXPECTED_STATUS = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  admin_port_only: 403,
  not_found: 404,
  brand_not_found: 404,
  brand_exists: 409,
  user_exists: 409,
  codes_exhausted: 409,
  campaign_not_found: 404,
  code_not_found: 404,
  redemption_not_found: 404,
  campaign_exists: 409,
  campaign_not_active: 409,
  code_not_redeemable: 409,
  rollback_window_passed: 409,
  invalid_state: 409,
  quota_exceeded: 409,
  idempotency_key_in_use: 409,
  capacity_exceeded: 422,
  idempotency_key_reused: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  request_timeout: 408,
  rate_limited: 429,
  too_many_jobs: 429,
  too_many_exports: 429,
  headers_too_large: 431,
  service_unavailable: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

describe('httpStatusOf', () => {
  it('the table covers exactly ERROR_CODES', () => {
    expect(Object.keys(EXPECTED_STATUS).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each(ERROR_CODES.map((code) => [code, EXPECTED_STATUS[code]] as const))('%s → %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });

  it('only "internal" is a 5xx besides service_unavailable: domain errors are client errors', () => {
    const serverSide = ERROR_CODES.filter((code) => httpStatusOf(code) >= 500).sort();
    expect(serverSide).toEqual(['internal', 'service_unavailable']);
  });
});

describe('errorCodeOf', () => {
  it.each<[number, ErrorCode]>([
    [400, 'invalid_input'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [405, 'invalid_input'],
    [413, 'payload_too_large'],
    [415, 'unsupported_media_type'],
    [408, 'request_timeout'],
    [429, 'rate_limited'],
    [431, 'headers_too_large'],
    [500, 'internal'],
    [502, 'internal'],
    [503, 'service_unavailable'],
  ])('%i → %s', (status, code) => {
    expect(errorCodeOf(status)).toBe(code);
  });

  it('maps back to the same status for the codes that own one', () => {
    for (const status of [400, 401, 403, 404, 408, 413, 415, 429, 431, 500, 503]) {
      expect(httpStatusOf(errorCodeOf(status))).toBe(status);
    }
  });
});
