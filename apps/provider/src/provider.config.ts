import { z } from 'zod';
import {
  commonEnvSchema,
  envInt,
  envSecret,
  envUrl,
  parseEnv,
  toCommonConfig,
  type CommonConfig,
  type Env,
} from '@app/config';
import type { JwtConfig, VerifiedSecretCacheOptions } from '@app/auth';

export const PROVIDER_DEFAULT_PORT = 5002;

export const providerEnvSchema = commonEnvSchema(PROVIDER_DEFAULT_PORT)
  .extend({
    JWT_SECRET: envSecret(32).optional(),
    JWT_JWKS_URL: envUrl(['https:', 'http:']).optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    USER_SECRET_CACHE_TTL_MS: envInt(0, 24 * 60 * 60 * 1000).default(5 * 60 * 1000),
    USER_SECRET_CACHE_MAX_ENTRIES: envInt(0, 10_000_000).default(50_000),
  })
  .refine((env) => env.JWT_SECRET !== undefined || env.JWT_JWKS_URL !== undefined, {
    message: 'set JWT_SECRET (HS256) or JWT_JWKS_URL to verify user tokens',
    path: ['JWT_SECRET'],
    // Also when other variables are bad, so one run names every problem.
    when: () => true,
  });

export interface ProviderConfig extends CommonConfig {
  readonly jwt: JwtConfig;
  /** Successful secret checks of the predecessor's route, remembered to spare repeat callers scrypt. */
  readonly userSecretCache: VerifiedSecretCacheOptions;
}

export function loadProviderConfig(env: Env): ProviderConfig {
  const parsed = parseEnv(providerEnvSchema, env);
  return {
    ...toCommonConfig('provider', parsed),
    jwt: {
      secret: parsed.JWT_SECRET,
      jwksUrl: parsed.JWT_JWKS_URL,
      issuer: parsed.JWT_ISSUER,
      audience: parsed.JWT_AUDIENCE,
    },
    userSecretCache: {
      ttlMs: parsed.USER_SECRET_CACHE_TTL_MS,
      maxEntries: parsed.USER_SECRET_CACHE_MAX_ENTRIES,
    },
  };
}

export type ProviderEnvVariable = keyof z.infer<typeof providerEnvSchema>;
