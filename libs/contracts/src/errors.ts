/**
 * Error codes the domain raises. The edge (HTTP filters, NATS handlers) maps each code to a
 * status; the domain never chooses one itself.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unauthorized',
  'forbidden',
  // The admin token, right, on the public port of an app with an admin port (ADMIN_PORT).
  'admin_port_only',
  'not_found',
  'brand_not_found',
  'brand_exists',
  'user_exists',
  'codes_exhausted',
  'campaign_not_found',
  'campaign_exists',
  // A claim or redemption outside the campaign's startsAt/endsAt.
  'campaign_not_active',
  // The code of a redemption does not exist in the brand (details.reason: unknown_code).
  'code_not_found',
  // A redemption refused: details.reason is one of REDEMPTION_REFUSALS.
  'code_not_redeemable',
  'redemption_not_found',
  // A rollback after REDEMPTION_ROLLBACK_WINDOW: the redemption stands.
  'rollback_window_passed',
  'invalid_state',
  // An Idempotency-Key whose first request is still being served (try again once it is done).
  'idempotency_key_in_use',
  // A brand's stored codes would go over BRAND_MAX_CODES: nothing was stored.
  'quota_exceeded',
  'capacity_exceeded',
  // An Idempotency-Key already used, within its 24 h, for a different request (method, path or body).
  'idempotency_key_reused',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  // A brand already runs BRAND_MAX_CONCURRENT_JOBS jobs / BRAND_MAX_CONCURRENT_EXPORTS exports.
  'too_many_jobs',
  'too_many_exports',
  'request_timeout',
  'headers_too_large',
  'service_unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
