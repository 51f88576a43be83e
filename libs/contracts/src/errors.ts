/**
 * Error codes the domain raises. The edge (HTTP filters, NATS handlers) maps each code to a
 * status; the domain never chooses one itself.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'brand_not_found',
  'brand_exists',
  'user_exists',
  'codes_exhausted',
  'invalid_state',
  'capacity_exceeded',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
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
