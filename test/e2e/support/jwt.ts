/** User tokens for the provider's v1 claim route (HS256 with the test JWT_SECRET, user id = sub). */
import { SignJWT, UnsecuredJWT } from 'jose';
import { TEST_JWT_SECRET } from '../../support/stack';

export interface TokenOptions {
  /** Signing secret (default: the JWT_SECRET startApp() gives the provider). */
  secret?: string;
  alg?: 'HS256' | 'HS384' | 'HS512';
  /** Absolute expiry in seconds since the epoch (default: 10 minutes from now). */
  exp?: number;
  /** Extra claims. */
  claims?: Record<string, unknown>;
}

/** A signed JWT whose `sub` is userId; undefined leaves `sub` out. */
export function userToken(userId: string | undefined, opts: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...opts.claims })
    .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(opts.exp ?? now + 600);
  if (userId !== undefined) jwt.setSubject(userId);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? TEST_JWT_SECRET));
}

/** An `alg: none` token: no signature at all. */
export function unsecuredToken(userId: string): string {
  return new UnsecuredJWT({}).setSubject(userId).setIssuedAt().setExpirationTime('10m').encode();
}
