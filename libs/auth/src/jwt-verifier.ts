import { createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { DomainError, userIdSchema } from '@app/contracts';

export interface JwtConfig {
  /** HS256 shared secret. */
  readonly secret: string | undefined;
  /** Or a JWKS URL for asymmetric keys (RS256, ES256, EdDSA). */
  readonly jwksUrl: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  /** Leeway for exp and nbf against clock drift between the issuer and us. */
  readonly clockToleranceSeconds: number;
  /** Tokens whose `exp` is further from now than this are refused. */
  readonly maxTokenAgeSeconds: number;
}

/**
 * A genuine token refused for its times (expired, not valid yet, or expiring too far out): a
 * 401, but not a guess at anyone's credentials, so lockouts do not count it.
 */
export class TokenNotCurrentError extends DomainError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

/** Errors of the key server, not of the token: jose's code for each. */
const KEY_SERVER_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/** Never "none", and never an HMAC algorithm with a JWKS: public keys must not double as secrets. */
const ASYMMETRIC_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/**
 * Verifies user tokens of the v1 claim route; the user id is the `sub` claim. Checked: the
 * signature with an allowed algorithm only, `exp` (required: a token must not work forever),
 * `nbf` when present, and `iss` / `aud` when configured.
 */
export class JwtVerifier {
  private readonly key: KeyObject | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly config: JwtConfig) {
    if (config.secret) {
      // A KeyObject made once: given raw bytes, jose would import the key again on every request.
      this.key = createSecretKey(Buffer.from(config.secret, 'utf8'));
      this.algorithms = ['HS256'];
    } else if (config.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(config.jwksUrl));
      this.algorithms = ASYMMETRIC_ALGORITHMS;
    } else {
      throw new Error('JwtVerifier needs a secret or a JWKS URL');
    }
  }

  async userIdOf(token: string): Promise<string> {
    try {
      // Passing `key` as a union would pick the wrong overload, hence the two calls.
      const options = {
        algorithms: this.algorithms,
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['exp'],
        clockTolerance: this.config.clockToleranceSeconds,
      };
      const { payload } =
        typeof this.key !== 'function'
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      const lifetime = (payload.exp ?? 0) - Date.now() / 1000;
      if (lifetime > this.config.maxTokenAgeSeconds + this.config.clockToleranceSeconds) {
        throw new TokenNotCurrentError(
          `The token expires too far in the future (at most ${this.config.maxTokenAgeSeconds} s from now)`,
        );
      }
      const sub = userIdSchema.safeParse(payload.sub);
      if (!sub.success)
        throw new DomainError('unauthorized', 'The token has no usable "sub" (user id) claim');
      return sub.data;
    } catch (error) {
      throw this.describe(error);
    }
  }

  private describe(error: unknown): unknown {
    if (error instanceof DomainError) return error;
    if (error instanceof errors.JWTExpired) return new TokenNotCurrentError('The token has expired');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') {
      return new TokenNotCurrentError('The token is not valid yet');
    }
    // A JWKS that cannot be fetched (refused, timed out, not 200, not a key set) is an outage of
    // the identity provider: 503, retried later, and nobody's guess.
    if (typeof this.key === 'function' && isKeyServerFailure(error)) {
      return new DomainError(
        'service_unavailable',
        'User tokens cannot be checked now: the signing keys are unavailable',
      );
    }
    if (error instanceof errors.JOSEError) {
      return new DomainError('unauthorized', `Invalid bearer token (${error.code})`);
    }
    return error;
  }
}

/** jose's own key-server errors, or the socket's (ECONNREFUSED, ENOTFOUND, ECONNRESET…). */
function isKeyServerFailure(error: unknown): boolean {
  if (error instanceof errors.JOSEError) return KEY_SERVER_FAILURES.has(error.code);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code);
}
