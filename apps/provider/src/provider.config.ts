import { z } from 'zod';
import {
  commonEnvSchema,
  envBoolean,
  envInt,
  envRate,
  envSecret,
  envUrl,
  lockoutSetting,
  parseEnv,
  toCommonConfig,
  withCommonEnvChecks,
  type CommonConfig,
  type CommonRateLimitConfig,
  type Env,
  type LockoutSetting,
  type RateSetting,
} from '@app/config';
import type { JwtConfig, VerifiedSecretCacheOptions } from '@app/auth';
import { MAX_BRAND_SERIES } from '@app/metrics';

export const PROVIDER_DEFAULT_PORT = 5002;

/** Comma-separated brand ids, at most MAX_BRAND_SERIES of them (each is a metric series). */
const envBrandList = () =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'expected brand ids (letters, digits, _ or -)' }),
        )
        .max(MAX_BRAND_SERIES, { message: `at most ${MAX_BRAND_SERIES} brands` }),
    );

export const providerEnvSchema = withCommonEnvChecks(
  // Readiness ignores NATS by default: claims go on while it is down (their events wait in the outbox).
  commonEnvSchema(PROVIDER_DEFAULT_PORT, {
    readyRequiresNats: false,
    // The predecessor's claim route: one address may be a carrier-grade NAT or an office of
    // thousands of users, so this only stops a flood; the per-user lockout does the real work.
    legacyPerIp: '6000/1m',
  }).extend({
    JWT_SECRET: envSecret(32).optional(),
    JWT_JWKS_URL: envUrl(['https:', 'http:']).optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    JWT_CLOCK_TOLERANCE_SECONDS: envInt(0, 300).default(30),
    // Keys fetched over plain http can be swapped by anyone on the path: development only.
    JWT_JWKS_ALLOW_HTTP: envBoolean(false),
    // A stolen token is good until it expires: tokens that expire further out than this are refused.
    JWT_MAX_TOKEN_AGE_SECONDS: envInt(60, 30 * 86_400).default(86_400),
    RATE_LIMIT_CLAIMS_PER_USER: envRate().prefault('10/1m'),
    AUTH_FAILURES_PER_USER_IP: envRate().prefault('5/15m'),
    // Keys the hashes of users' secrets: a lost or changed pepper fails every user stored under it.
    USER_SECRET_PEPPER: envSecret(32),
    USER_SECRET_CACHE_TTL_MS: envInt(0, 24 * 60 * 60 * 1000).default(5 * 60 * 1000),
    USER_SECRET_CACHE_MAX_ENTRIES: envInt(0, 10_000_000).default(50_000),
    OUTBOX_RELAY_INTERVAL_MS: envInt(100, 600_000).default(5_000),
    OUTBOX_RELAY_BATCH_SIZE: envInt(1, 1_000).default(100),
    POOL_LOW_CHECK_EVERY_CLAIMS: envInt(1, 100_000).default(10),
    POOL_LOW_DEDUPE_WINDOW_SECONDS: envInt(1, 86_400).default(300),
    REPLENISH_WAIT_MS: envInt(100, 60_000).default(3_000),
    BRAND_SETTINGS_CACHE_MS: envInt(0, 600_000).default(5_000),
    METRICS_BRANDS: envBrandList().default([]),
    METRICS_TOP_BRANDS: envInt(0, MAX_BRAND_SERIES).default(10),
    METRICS_BRANDS_REFRESH_MS: envInt(1_000, 3_600_000).default(30_000),
  }),
)
  .refine((env) => env.JWT_SECRET !== undefined || env.JWT_JWKS_URL !== undefined, {
    message: 'set JWT_SECRET (HS256) or JWT_JWKS_URL to verify user tokens',
    path: ['JWT_SECRET'],
    // Also when other variables are bad, so one run names every problem.
    when: () => true,
  })
  .refine((env) => !env.JWT_JWKS_URL?.startsWith('http:') || env.JWT_JWKS_ALLOW_HTTP, {
    message: 'must be an https URL (JWT_JWKS_ALLOW_HTTP=true allows http, for development)',
    path: ['JWT_JWKS_URL'],
  })
  // Keys of an identity provider sign tokens for many applications: the audience says which are ours.
  .refine((env) => env.JWT_JWKS_URL === undefined || env.JWT_AUDIENCE !== undefined, {
    message:
      'is required with JWT_JWKS_URL: tokens the same keys signed for other applications must not pass',
    path: ['JWT_AUDIENCE'],
  });

export interface ProviderRateLimitConfig extends CommonRateLimitConfig {
  /** Claims per user, on the v1 route (the legacy route is limited per IP). */
  readonly claimsPerUser: RateSetting | null;
  /** Wrong secrets on the predecessor's route, per user id and client IP. */
  readonly authFailuresPerUserIp: LockoutSetting | null;
}

export interface ProviderConfig extends CommonConfig {
  readonly jwt: JwtConfig;
  readonly rateLimits: ProviderRateLimitConfig;
  /** USER_SECRET_PEPPER: the key of the HMAC that users' secrets are stored as. */
  readonly userSecretPepper: string;
  /** Successful scrypt checks of the predecessor's route (hashes not yet upgraded to the HMAC). */
  readonly userSecretCache: VerifiedSecretCacheOptions;
  readonly outbox: {
    /** How often the relay looks for claims whose event is still unpublished. */
    readonly relayIntervalMs: number;
    /** Claims read and published per round (several rounds while a backlog lasts). */
    readonly relayBatchSize: number;
  };
  readonly pool: {
    /** Count a brand's available codes at most once per this many claims on this replica. */
    readonly checkEveryClaims: number;
    /** One pool.low per brand per window, across replicas (the event id is derived from it). */
    readonly dedupeWindowMs: number;
    /** How long a claim that found no code waits for the generator's replenish answer. */
    readonly replenishWaitMs: number;
    /** How long brand settings (threshold, auto-replenish) are cached; 0 reads them every time. */
    readonly settingsCacheMs: number;
  };
  /** Brands with a discounts_codes_available series: these, plus the top N by available codes. */
  readonly poolMetrics: {
    readonly brands: readonly string[];
    readonly topBrands: number;
    readonly refreshMs: number;
  };
}

export function loadProviderConfig(env: Env): ProviderConfig {
  const parsed = parseEnv(providerEnvSchema, env);
  const common = toCommonConfig('provider', parsed);
  return {
    ...common,
    jwt: {
      secret: parsed.JWT_SECRET,
      jwksUrl: parsed.JWT_JWKS_URL,
      issuer: parsed.JWT_ISSUER,
      audience: parsed.JWT_AUDIENCE,
      clockToleranceSeconds: parsed.JWT_CLOCK_TOLERANCE_SECONDS,
      maxTokenAgeSeconds: parsed.JWT_MAX_TOKEN_AGE_SECONDS,
    },
    rateLimits: {
      ...common.rateLimits,
      claimsPerUser: parsed.RATE_LIMIT_CLAIMS_PER_USER,
      authFailuresPerUserIp: lockoutSetting(parsed.AUTH_FAILURES_PER_USER_IP, parsed),
    },
    userSecretPepper: parsed.USER_SECRET_PEPPER,
    userSecretCache: {
      ttlMs: parsed.USER_SECRET_CACHE_TTL_MS,
      maxEntries: parsed.USER_SECRET_CACHE_MAX_ENTRIES,
    },
    outbox: {
      relayIntervalMs: parsed.OUTBOX_RELAY_INTERVAL_MS,
      relayBatchSize: parsed.OUTBOX_RELAY_BATCH_SIZE,
    },
    pool: {
      checkEveryClaims: parsed.POOL_LOW_CHECK_EVERY_CLAIMS,
      dedupeWindowMs: parsed.POOL_LOW_DEDUPE_WINDOW_SECONDS * 1_000,
      replenishWaitMs: parsed.REPLENISH_WAIT_MS,
      settingsCacheMs: parsed.BRAND_SETTINGS_CACHE_MS,
    },
    poolMetrics: {
      brands: parsed.METRICS_BRANDS,
      topBrands: parsed.METRICS_TOP_BRANDS,
      refreshMs: parsed.METRICS_BRANDS_REFRESH_MS,
    },
  };
}

export type ProviderEnvVariable = keyof z.infer<typeof providerEnvSchema>;
