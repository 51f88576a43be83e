import { ConfigValidationError, type Env } from '@app/config';
import { loadProviderConfig, PROVIDER_DEFAULT_PORT } from './provider.config';

const ADMIN_TOKEN = 'admin-token-0123456789';
const JWT_SECRET = 'jwt-secret-0123456789abcdef0123456789';
const USER_SECRET_PEPPER = 'user-secret-pepper-0123456789abcdef';

function errorOf(env: Env): ConfigValidationError {
  try {
    loadProviderConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

const names = (error: ConfigValidationError) => error.problems.map((p) => p.split(':')[0]).sort();

describe('loadProviderConfig', () => {
  it('applies the defaults with an HS256 secret', () => {
    expect(loadProviderConfig({ ADMIN_TOKEN, USER_SECRET_PEPPER, JWT_SECRET })).toStrictEqual({
      serviceName: 'provider',
      logLevel: 'info',
      metricsPort: undefined,
      adminPort: undefined,
      shutdown: { delayMs: 5_000, graceMs: 20_000 },
      readiness: { requiresNats: false },
      poolMetrics: { brands: [], topBrands: 10, refreshMs: 30_000 },
      http: {
        port: PROVIDER_DEFAULT_PORT,
        host: '0.0.0.0',
        bodyLimitBytes: 65_536,
        docsEnabled: true,
        maxHeaderBytes: 16_384,
        requestTimeoutMs: 30_000,
        headersTimeoutMs: 10_000,
        keepAliveTimeoutMs: 72_000,
        connectionTimeoutMs: 120_000,
        trustProxy: false,
        corsOrigins: [],
      },
      mongo: {
        uri: 'mongodb://127.0.0.1:27017/discounts',
        maxPoolSize: undefined,
        serverSelectionTimeoutMs: 5_000,
        allowWeakDurability: false,
      },
      nats: { servers: ['nats://127.0.0.1:4222'], user: undefined, password: undefined, token: undefined },
      eventStream: {
        retention: 'limits',
        maxAgeMs: 604_800_000,
        maxBytes: 1_073_741_824,
        duplicateWindowMs: 120_000,
        replicas: 1,
      },
      adminToken: ADMIN_TOKEN,
      loadShedding: {
        enabled: true,
        maxEventLoopDelayMs: 200,
        maxEventLoopUtilization: null,
        maxHeapBytes: 'auto',
        maxRssBytes: 'auto',
        maxInFlight: 1024,
        retryAfterSeconds: 5,
        failsReadiness: false,
      },
      jwt: {
        secret: JWT_SECRET,
        jwksUrl: undefined,
        issuer: undefined,
        audience: undefined,
        clockToleranceSeconds: 30,
        maxTokenAgeSeconds: 86_400,
      },
      rateLimits: {
        legacyPerIp: { limit: 6000, windowMs: 60_000 },
        authFailuresPerIp: { maxFailures: 20, windowMs: 900_000, lockoutMs: 60_000, maxLockoutMs: 3_600_000 },
        storeTimeoutMs: 500,
        storeMaxBytes: 16_777_216,
        syncIntervalMs: 100,
        claimsPerUser: { limit: 10, windowMs: 60_000 },
        authFailuresPerUserIp: {
          maxFailures: 5,
          windowMs: 900_000,
          lockoutMs: 60_000,
          maxLockoutMs: 3_600_000,
        },
      },
      userSecretPepper: USER_SECRET_PEPPER,
      userSecretCache: { ttlMs: 300_000, maxEntries: 50_000 },
      outbox: { relayIntervalMs: 5_000, relayBatchSize: 100 },
      pool: { checkEveryClaims: 10, dedupeWindowMs: 300_000, replenishWaitMs: 3_000, settingsCacheMs: 5_000 },
    });
    expect(PROVIDER_DEFAULT_PORT).toBe(5002);
  });

  it('reads the outbox and pool variables', () => {
    const config = loadProviderConfig({
      ADMIN_TOKEN,
      USER_SECRET_PEPPER,
      JWT_SECRET,
      OUTBOX_RELAY_INTERVAL_MS: '250',
      OUTBOX_RELAY_BATCH_SIZE: '20',
      POOL_LOW_CHECK_EVERY_CLAIMS: '1',
      POOL_LOW_DEDUPE_WINDOW_SECONDS: '60',
      REPLENISH_WAIT_MS: '1500',
      BRAND_SETTINGS_CACHE_MS: '0',
    });
    expect(config.outbox).toStrictEqual({ relayIntervalMs: 250, relayBatchSize: 20 });
    expect(config.pool).toStrictEqual({
      checkEveryClaims: 1,
      dedupeWindowMs: 60_000,
      replenishWaitMs: 1_500,
      settingsCacheMs: 0,
    });
  });

  it.each([
    ['OUTBOX_RELAY_INTERVAL_MS', '99'],
    ['OUTBOX_RELAY_BATCH_SIZE', '0'],
    ['OUTBOX_RELAY_BATCH_SIZE', '1001'],
    ['POOL_LOW_CHECK_EVERY_CLAIMS', '0'],
    ['REPLENISH_WAIT_MS', '60001'],
    ['BRAND_SETTINGS_CACHE_MS', '-1'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(names(errorOf({ ADMIN_TOKEN, USER_SECRET_PEPPER, JWT_SECRET, [name]: value }))).toEqual([name]);
  });

  it('accepts a JWKS URL instead of a secret, with issuer and audience', () => {
    const config = loadProviderConfig({
      ADMIN_TOKEN,
      USER_SECRET_PEPPER,
      JWT_JWKS_URL: 'https://auth.example.com/.well-known/jwks.json',
      JWT_ISSUER: 'https://auth.example.com/',
      JWT_AUDIENCE: 'discounts',
      JWT_CLOCK_TOLERANCE_SECONDS: '5',
      JWT_MAX_TOKEN_AGE_SECONDS: '3600',
    });
    expect(config.jwt).toStrictEqual({
      secret: undefined,
      jwksUrl: 'https://auth.example.com/.well-known/jwks.json',
      issuer: 'https://auth.example.com/',
      audience: 'discounts',
      clockToleranceSeconds: 5,
      maxTokenAgeSeconds: 3_600,
    });
  });

  it('refuses a JWKS URL without an audience, and an http one unless JWT_JWKS_ALLOW_HTTP says so', () => {
    const https = 'https://auth.example.com/jwks.json';
    const http = 'http://127.0.0.1:8080/jwks.json';
    expect(names(errorOf({ ADMIN_TOKEN, USER_SECRET_PEPPER, JWT_JWKS_URL: https }))).toEqual([
      'JWT_AUDIENCE',
    ]);
    expect(
      names(errorOf({ ADMIN_TOKEN, USER_SECRET_PEPPER, JWT_JWKS_URL: http, JWT_AUDIENCE: 'discounts' })),
    ).toEqual(['JWT_JWKS_URL']);
    const dev = loadProviderConfig({
      ADMIN_TOKEN,
      USER_SECRET_PEPPER,
      JWT_JWKS_URL: http,
      JWT_AUDIENCE: 'discounts',
      JWT_JWKS_ALLOW_HTTP: 'true',
    });
    expect(dev.jwt.jwksUrl).toBe(http);
  });

  it('reads the secret-check cache settings; 0 turns the cache off', () => {
    expect(
      loadProviderConfig({
        ADMIN_TOKEN,
        USER_SECRET_PEPPER,
        JWT_SECRET,
        USER_SECRET_CACHE_TTL_MS: '0',
        USER_SECRET_CACHE_MAX_ENTRIES: '1000',
      }).userSecretCache,
    ).toStrictEqual({ ttlMs: 0, maxEntries: 1000 });
  });

  it.each([
    ['USER_SECRET_CACHE_TTL_MS', '-1'],
    ['USER_SECRET_CACHE_TTL_MS', String(25 * 60 * 60 * 1000)],
    ['USER_SECRET_CACHE_MAX_ENTRIES', '1e6'],
  ])('rejects %s=%s, naming the variable', (name, value) => {
    expect(names(errorOf({ ADMIN_TOKEN, USER_SECRET_PEPPER, JWT_SECRET, [name]: value }))).toEqual([name]);
  });

  it('requires JWT_SECRET or JWT_JWKS_URL, and the message names JWT_SECRET', () => {
    const error = errorOf({ ADMIN_TOKEN, USER_SECRET_PEPPER });
    expect(names(error)).toEqual(['JWT_SECRET']);
    expect(error.message).toContain('JWT_SECRET: set JWT_SECRET (HS256) or JWT_JWKS_URL');
  });

  it('reads its rate limits, with the common lockout durations', () => {
    const config = loadProviderConfig({
      ADMIN_TOKEN,
      USER_SECRET_PEPPER,
      JWT_SECRET,
      RATE_LIMIT_CLAIMS_PER_USER: '3/10s',
      AUTH_FAILURES_PER_USER_IP: '4/1h',
      AUTH_LOCKOUT_SECONDS: '10',
      AUTH_LOCKOUT_MAX_SECONDS: '20',
    });
    expect(config.rateLimits).toMatchObject({
      claimsPerUser: { limit: 3, windowMs: 10_000 },
      authFailuresPerUserIp: { maxFailures: 4, windowMs: 3_600_000, lockoutMs: 10_000, maxLockoutMs: 20_000 },
      authFailuresPerIp: { maxFailures: 20, windowMs: 900_000, lockoutMs: 10_000, maxLockoutMs: 20_000 },
    });
    const off = loadProviderConfig({
      ADMIN_TOKEN,
      USER_SECRET_PEPPER,
      JWT_SECRET,
      RATE_LIMIT_CLAIMS_PER_USER: 'off',
      AUTH_FAILURES_PER_USER_IP: 'off',
    });
    expect(off.rateLimits).toMatchObject({ claimsPerUser: null, authFailuresPerUserIp: null });
  });

  it.each([
    ['RATE_LIMIT_CLAIMS_PER_USER', '10/min'],
    ['AUTH_FAILURES_PER_USER_IP', '0/1m'],
    ['JWT_CLOCK_TOLERANCE_SECONDS', '301'],
  ])('rejects %s=%s by name', (name, value) => {
    expect(names(errorOf({ ADMIN_TOKEN, USER_SECRET_PEPPER, JWT_SECRET, [name]: value }))).toEqual([name]);
  });

  it('treats empty JWT variables as unset', () => {
    expect(names(errorOf({ ADMIN_TOKEN, USER_SECRET_PEPPER, JWT_SECRET: '', JWT_JWKS_URL: '' }))).toEqual([
      'JWT_SECRET',
    ]);
  });

  it('rejects a JWT_SECRET shorter than 32 characters without echoing it', () => {
    const error = errorOf({ ADMIN_TOKEN, USER_SECRET_PEPPER, JWT_SECRET: 'too-short-secret' });
    expect(names(error)).toEqual(['JWT_SECRET']);
    expect(error.message).toContain('must be at least 32 characters');
    expect(error.message).not.toContain('too-short-secret');
  });

  it('rejects a JWKS URL that is not http(s)', () => {
    expect(
      names(
        errorOf({
          ADMIN_TOKEN,
          USER_SECRET_PEPPER,
          JWT_JWKS_URL: 'ftp://auth.example.com/jwks',
          JWT_AUDIENCE: 'discounts',
        }),
      ),
    ).toEqual(['JWT_JWKS_URL']);
  });

  it('names the missing JWT configuration together with a too-short ADMIN_TOKEN', () => {
    expect(names(errorOf({ ADMIN_TOKEN: 'short', USER_SECRET_PEPPER }))).toEqual([
      'ADMIN_TOKEN',
      'JWT_SECRET',
    ]);
  });

  it('requires USER_SECRET_PEPPER of at least 32 characters, without echoing it', () => {
    expect(names(errorOf({ ADMIN_TOKEN, JWT_SECRET }))).toEqual(['USER_SECRET_PEPPER']);
    expect(names(errorOf({ ADMIN_TOKEN, JWT_SECRET, USER_SECRET_PEPPER: '' }))).toEqual([
      'USER_SECRET_PEPPER',
    ]);
    const error = errorOf({ ADMIN_TOKEN, JWT_SECRET, USER_SECRET_PEPPER: 'pepper-of-31-characters-0123456' });
    expect(error.message).toContain('USER_SECRET_PEPPER: must be at least 32 characters');
    expect(error.message).not.toContain('pepper-of-31');
  });

  it.each([
    [{}, ['ADMIN_TOKEN', 'JWT_SECRET', 'USER_SECRET_PEPPER']],
    [{ ADMIN_TOKEN: 'short', PORT: 'abc' }, ['ADMIN_TOKEN', 'JWT_SECRET', 'PORT', 'USER_SECRET_PEPPER']],
    [{ ADMIN_TOKEN, USER_SECRET_PEPPER, LOG_LEVEL: 'loud' }, ['JWT_SECRET', 'LOG_LEVEL']],
  ])('names the missing JWT configuration together with the other bad variables (%j)', (env, expected) => {
    expect(names(errorOf(env))).toEqual(expected);
  });
});
