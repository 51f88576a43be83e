import { ConfigValidationError, type Env } from '@app/config';
import { GENERATOR_DEFAULT_PORT, loadGeneratorConfig } from './generator.config';

const ADMIN_TOKEN = 'admin-token-0123456789';

function problemsOf(env: Env): readonly string[] {
  try {
    loadGeneratorConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

const names = (problems: readonly string[]) => problems.map((p) => p.split(':')[0]).sort();

describe('loadGeneratorConfig', () => {
  it('applies the defaults', () => {
    expect(loadGeneratorConfig({ ADMIN_TOKEN })).toStrictEqual({
      serviceName: 'generator',
      logLevel: 'info',
      http: {
        port: GENERATOR_DEFAULT_PORT,
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
      },
      nats: { servers: ['nats://127.0.0.1:4222'], user: undefined, password: undefined, token: undefined },
      adminToken: ADMIN_TOKEN,
      devOpenBrandApi: false,
      generation: { maxCount: 1_000_000, batchSize: 1_000 },
      rateLimits: {
        legacyPerIp: { limit: 120, windowMs: 60_000 },
        authFailuresPerIp: { maxFailures: 20, windowMs: 900_000, lockoutMs: 60_000, maxLockoutMs: 3_600_000 },
        storeTimeoutMs: 500,
        generationPerBrand: { limit: 60, windowMs: 60_000 },
      },
      apiKeyRotationGraceMs: 86_400_000,
    });
    expect(GENERATOR_DEFAULT_PORT).toBe(5001);
  });

  it('reads its own variables', () => {
    const config = loadGeneratorConfig({
      ADMIN_TOKEN,
      DEV_OPEN_BRAND_API: 'yes',
      GENERATION_MAX_COUNT: '5000',
      GENERATION_BATCH_SIZE: '250',
      PORT: '6001',
      RATE_LIMIT_GENERATION_PER_BRAND: '5/10s',
      API_KEY_ROTATION_GRACE_SECONDS: '0',
    });
    expect(config.rateLimits.generationPerBrand).toStrictEqual({ limit: 5, windowMs: 10_000 });
    expect(config.apiKeyRotationGraceMs).toBe(0);
    expect(
      loadGeneratorConfig({ ADMIN_TOKEN, RATE_LIMIT_GENERATION_PER_BRAND: 'off' }).rateLimits
        .generationPerBrand,
    ).toBeNull();
    expect(config.devOpenBrandApi).toBe(true);
    expect(config.generation).toStrictEqual({ maxCount: 5000, batchSize: 250 });
    expect(config.http.port).toBe(6001);
  });

  it('requires ADMIN_TOKEN (an empty one counts as unset)', () => {
    expect(names(problemsOf({}))).toEqual(['ADMIN_TOKEN']);
    expect(names(problemsOf({ ADMIN_TOKEN: '' }))).toEqual(['ADMIN_TOKEN']);
  });

  it('names every bad variable, common and generator-specific, at once', () => {
    expect(
      names(
        problemsOf({
          ADMIN_TOKEN: 'short',
          PORT: 'abc',
          MONGODB_URI: 'http://x',
          DEV_OPEN_BRAND_API: 'sometimes',
          GENERATION_MAX_COUNT: '0',
          GENERATION_BATCH_SIZE: '99',
        }),
      ),
    ).toEqual([
      'ADMIN_TOKEN',
      'DEV_OPEN_BRAND_API',
      'GENERATION_BATCH_SIZE',
      'GENERATION_MAX_COUNT',
      'MONGODB_URI',
      'PORT',
    ]);
  });

  it.each([
    ['GENERATION_MAX_COUNT', '10000001'],
    ['GENERATION_BATCH_SIZE', '10001'],
    ['GENERATION_BATCH_SIZE', '1.5'],
    ['RATE_LIMIT_GENERATION_PER_BRAND', '60 per minute'],
    ['API_KEY_ROTATION_GRACE_SECONDS', '2592001'],
    ['API_KEY_ROTATION_GRACE_SECONDS', '-1'],
    ['HTTP_HEADERS_TIMEOUT_MS', '40000'],
  ])('rejects %s=%s', (name, value) => {
    expect(names(problemsOf({ ADMIN_TOKEN, [name]: value }))).toEqual([name]);
  });
});
