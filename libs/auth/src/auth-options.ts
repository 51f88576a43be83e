import type { JwtConfig } from './jwt-verifier';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  readonly adminToken: string;
  /** ADMIN_PORT: the admin token is honoured only on requests that came in on it (see admin-port.ts). */
  readonly adminPort?: number;
  /** DEV_OPEN_BRAND_API: brand routes accept callers without a key (local quickstart only). */
  readonly openBrandApi?: boolean;
  /** Set in services with user-facing JWT routes. */
  readonly jwt?: JwtConfig;
}
