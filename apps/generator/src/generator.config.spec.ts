import { ConfigValidationError, type Env } from '@app/config';
import { GENERATOR_DEFAULT_PORT, loadGeneratorConfig } from './generator.config';

const ADMIN_TOKEN = 'admin-token-0123456789';
const SEAL_KEY = Buffer.alloc(32, 1);
const WEBHOOK_SECRET_KEYS = `k1:${SEAL_KEY.toString('base64')}`;
/** What the generator cannot start without. */
const REQUIRED = { ADMIN_TOKEN, WEBHOOK_SECRET_KEYS };

function problemsOf(env: Env): readonly string[] {
  try {
    loadGeneratorConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

const DAY_MS = 86_400_000;

const names = (problems: readonly string[]) => problems.map((p) => p.split(':')[0]).sort();

describe('loadGeneratorConfig', () => {
  it('applies the defaults', () => {
    expect(loadGeneratorConfig(REQUIRED)).toStrictEqual({
      serviceName: 'generator',
      logLevel: 'info',
      metricsPort: undefined,
      adminPort: undefined,
      shutdown: { delayMs: 5_000, graceMs: 20_000 },
      readiness: { requiresNats: true },
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
      devOpenBrandApi: false,
      generation: { maxCount: 10_000_000, batchSize: 1_000, inlineMaxCount: 10_000 },
      import: { maxBytes: 256 * 1_024 ** 2 },
      jobs: { chunkSize: 10_000, ackWaitMs: 60_000, stallMs: 120_000 },
      rateLimits: {
        legacyPerIp: { limit: 120, windowMs: 60_000 },
        authFailuresPerIp: { maxFailures: 20, windowMs: 900_000, lockoutMs: 60_000, maxLockoutMs: 3_600_000 },
        storeTimeoutMs: 500,
        storeMaxBytes: 16_777_216,
        syncIntervalMs: 100,
        generationPerBrand: { limit: 60, windowMs: 60_000 },
        readsPerBrand: { limit: 120, windowMs: 60_000 },
      },
      apiKeyRotationGraceMs: 86_400_000,
      consumers: { ackWaitMs: 30_000, maxDeliver: -1 },
      webhooks: {
        allowedRanges: [],
        allowHttp: false,
        allowedPorts: [{ from: 443, to: 443 }],
        secretKeys: [{ id: 'k1', key: SEAL_KEY }],
        secretRotationGraceMs: 86_400_000,
        connectTimeoutMs: 3_000,
        timeoutMs: 10_000,
        maxAttempts: 12,
        maxAgeMs: 86_400_000,
        backoffBaseMs: 1_000,
        backoffMaxMs: 3_600_000,
        maxConcurrency: 32,
        maxInFlightPerBrand: 4,
        pollIntervalMs: 1_000,
      },
      quotas: { maxCodes: 10_000_000, maxConcurrentJobs: 3, maxConcurrentExports: 2 },
      replenish: { cooldownMs: 5_000 },
      redemptions: { rollbackWindowMs: 30 * DAY_MS },
      retention: { expiredCodesMs: null, webhookDeliveriesMs: 30 * DAY_MS, generationJobsMs: 30 * DAY_MS },
      devServer: { slowClaimCodes: null },
    });
    expect(GENERATOR_DEFAULT_PORT).toBe(5001);
  });

  it('reads its own variables', () => {
    const config = loadGeneratorConfig({
      ...REQUIRED,
      DEV_OPEN_BRAND_API: 'yes',
      GENERATION_MAX_COUNT: '5000',
      GENERATION_BATCH_SIZE: '250',
      GENERATION_INLINE_MAX_COUNT: '100',
      GENERATION_JOB_CHUNK_SIZE: '500',
      GENERATION_JOB_ACK_WAIT_SECONDS: '10',
      GENERATION_JOB_STALL_SECONDS: '30',
      PORT: '6001',
      RATE_LIMIT_GENERATION_PER_BRAND: '5/10s',
      API_KEY_ROTATION_GRACE_SECONDS: '0',
    });
    expect(config.rateLimits.generationPerBrand).toStrictEqual({ limit: 5, windowMs: 10_000 });
    expect(config.apiKeyRotationGraceMs).toBe(0);
    expect(
      loadGeneratorConfig({ ...REQUIRED, RATE_LIMIT_GENERATION_PER_BRAND: 'off' }).rateLimits
        .generationPerBrand,
    ).toBeNull();
    expect(config.devOpenBrandApi).toBe(true);
    expect(config.generation).toStrictEqual({ maxCount: 5000, batchSize: 250, inlineMaxCount: 100 });
    expect(config.jobs).toStrictEqual({ chunkSize: 500, ackWaitMs: 10_000, stallMs: 30_000 });
    expect(config.http.port).toBe(6001);
  });

  it('reads the per-brand quotas; off lifts the stored-codes one', () => {
    const config = loadGeneratorConfig({
      ...REQUIRED,
      BRAND_MAX_CODES: '5000',
      BRAND_MAX_CONCURRENT_JOBS: '1',
      BRAND_MAX_CONCURRENT_EXPORTS: '4',
    });
    expect(config.quotas).toStrictEqual({ maxCodes: 5_000, maxConcurrentJobs: 1, maxConcurrentExports: 4 });
    expect(loadGeneratorConfig({ ...REQUIRED, BRAND_MAX_CODES: 'off' }).quotas.maxCodes).toBeNull();
  });

  it.each([
    ['BRAND_MAX_CODES', '0'],
    ['BRAND_MAX_CODES', 'none'],
    ['BRAND_MAX_CODES', '1e6'],
    ['BRAND_MAX_CONCURRENT_JOBS', '0'],
    ['BRAND_MAX_CONCURRENT_JOBS', 'off'],
    ['BRAND_MAX_CONCURRENT_EXPORTS', '0'],
    ['BRAND_MAX_CONCURRENT_EXPORTS', '1001'],
  ])('refuses the quota %s=%s, naming it', (name, value) => {
    expect(names(problemsOf({ ...REQUIRED, [name]: value }))).toEqual([name]);
  });

  it("reads DEV_SERVER_SLOW_CLAIM_CODES (the dev server's size limit, for tests), refusing a bad one", () => {
    const config = loadGeneratorConfig({ ...REQUIRED, DEV_SERVER_SLOW_CLAIM_CODES: '50' });
    expect(config.devServer).toStrictEqual({ slowClaimCodes: 50 });
    for (const value of ['0', '-5', '1.5', 'many']) {
      expect(names(problemsOf({ ...REQUIRED, DEV_SERVER_SLOW_CLAIM_CODES: value }))).toEqual([
        'DEV_SERVER_SLOW_CLAIM_CODES',
      ]);
    }
  });

  it('reads the webhook, consumer and replenish variables', () => {
    const config = loadGeneratorConfig({
      ...REQUIRED,
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1, 10.1.0.0/16,fd00::/8',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_PORTS: '443,8000-8999',
      WEBHOOK_CONNECT_TIMEOUT_MS: '500',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_MAX_AGE_SECONDS: '600',
      WEBHOOK_BACKOFF_BASE_MS: '50',
      WEBHOOK_BACKOFF_MAX_MS: '400',
      WEBHOOK_MAX_CONCURRENCY: '8',
      WEBHOOK_MAX_IN_FLIGHT_PER_BRAND: '2',
      WEBHOOK_POLL_INTERVAL_MS: '200',
      WEBHOOK_SECRET_ROTATION_GRACE_SECONDS: '30',
      EVENTS_CONSUMER_ACK_WAIT_SECONDS: '5',
      EVENTS_CONSUMER_MAX_DELIVER: '20',
      REPLENISH_COOLDOWN_MS: '0',
    });
    expect(config.webhooks).toStrictEqual({
      allowedRanges: [
        { network: '127.0.0.1', prefix: 32, family: 'ipv4' },
        { network: '10.1.0.0', prefix: 16, family: 'ipv4' },
        { network: 'fd00::', prefix: 8, family: 'ipv6' },
      ],
      allowHttp: true,
      secretKeys: [{ id: 'k1', key: SEAL_KEY }],
      secretRotationGraceMs: 30_000,
      allowedPorts: [
        { from: 443, to: 443 },
        { from: 8000, to: 8999 },
      ],
      connectTimeoutMs: 500,
      timeoutMs: 2_000,
      maxAttempts: 3,
      maxAgeMs: 600_000,
      backoffBaseMs: 50,
      backoffMaxMs: 400,
      maxConcurrency: 8,
      maxInFlightPerBrand: 2,
      pollIntervalMs: 200,
    });
    expect(config.consumers).toStrictEqual({ ackWaitMs: 5_000, maxDeliver: 20 });
    expect(config.replenish).toStrictEqual({ cooldownMs: 0 });
  });

  it.each([
    ['WEBHOOK_ALLOWED_CIDRS', '127.0.0.1/33'],
    ['WEBHOOK_ALLOWED_CIDRS', 'localhost'],
    ['WEBHOOK_ALLOWED_CIDRS', '10.0.0.0/8/8'],
    ['WEBHOOK_ALLOWED_PORTS', '0-443'],
    ['WEBHOOK_ALLOW_HTTP', 'maybe'],
    ['WEBHOOK_MAX_ATTEMPTS', '0'],
    ['WEBHOOK_TIMEOUT_MS', '100'],
    ['WEBHOOK_MAX_IN_FLIGHT_PER_BRAND', '0'],
    ['WEBHOOK_SECRET_ROTATION_GRACE_SECONDS', '-1'],
    ['WEBHOOK_SECRET_ROTATION_GRACE_SECONDS', '2592001'],
    ['EVENTS_CONSUMER_MAX_DELIVER', '0'],
    ['EVENTS_CONSUMER_MAX_DELIVER', '-2'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(names(problemsOf({ ...REQUIRED, [name]: value }))).toEqual([name]);
  });

  it('reads the retention variables: days as milliseconds, off as null (kept for ever)', () => {
    const config = loadGeneratorConfig({
      ...REQUIRED,
      EXPIRED_CODES_RETENTION_DAYS: '90',
      WEBHOOK_DELIVERY_RETENTION_DAYS: 'off',
      GENERATION_JOB_RETENTION_DAYS: '7',
    });
    expect(config.retention).toStrictEqual({
      expiredCodesMs: 90 * DAY_MS,
      webhookDeliveriesMs: null,
      generationJobsMs: 7 * DAY_MS,
    });
    expect(
      loadGeneratorConfig({ ...REQUIRED, GENERATION_JOB_RETENTION_DAYS: 'off' }).retention.generationJobsMs,
    ).toBeNull();
  });

  it.each([
    ['EXPIRED_CODES_RETENTION_DAYS', '0'],
    ['EXPIRED_CODES_RETENTION_DAYS', '3651'],
    ['EXPIRED_CODES_RETENTION_DAYS', 'never'],
    ['WEBHOOK_DELIVERY_RETENTION_DAYS', '-1'],
    ['WEBHOOK_DELIVERY_RETENTION_DAYS', '1.5'],
    ['GENERATION_JOB_RETENTION_DAYS', 'OFF'],
    ['GENERATION_JOB_RETENTION_DAYS', '30d'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(names(problemsOf({ ...REQUIRED, [name]: value }))).toEqual([name]);
  });

  it('reads the redemption rollback window in seconds; 0 makes redemptions final', () => {
    const read = (seconds: string) =>
      loadGeneratorConfig({ ...REQUIRED, REDEMPTION_ROLLBACK_WINDOW_SECONDS: seconds }).redemptions;
    expect(read('3600')).toStrictEqual({ rollbackWindowMs: 3_600_000 });
    expect(read('0')).toStrictEqual({ rollbackWindowMs: 0 });
    expect(read(String(3_650 * 86_400))).toStrictEqual({ rollbackWindowMs: 3_650 * DAY_MS });
  });

  it.each(['-1', '1.5', '30d', String(3_650 * 86_400 + 1)])(
    'refuses REDEMPTION_ROLLBACK_WINDOW_SECONDS=%s, naming it',
    (value) => {
      expect(names(problemsOf({ ...REQUIRED, REDEMPTION_ROLLBACK_WINDOW_SECONDS: value }))).toEqual([
        'REDEMPTION_ROLLBACK_WINDOW_SECONDS',
      ]);
    },
  );

  it('keeps deliveries at least as long as the events stream keeps the events they came from', () => {
    // 7 days of events (the default) against 6 days of deliveries: a replayed event would be sent twice.
    expect(names(problemsOf({ ...REQUIRED, WEBHOOK_DELIVERY_RETENTION_DAYS: '6' }))).toEqual([
      'WEBHOOK_DELIVERY_RETENTION_DAYS',
    ]);
    expect(
      loadGeneratorConfig({ ...REQUIRED, WEBHOOK_DELIVERY_RETENTION_DAYS: '7' }).retention
        .webhookDeliveriesMs,
    ).toBe(7 * DAY_MS);
    const longStream = { ...REQUIRED, EVENTS_STREAM_MAX_AGE_SECONDS: String(60 * 86_400) };
    expect(names(problemsOf(longStream))).toEqual(['WEBHOOK_DELIVERY_RETENTION_DAYS']);
    expect(names(problemsOf({ ...longStream, PORT: 'abc' }))).toEqual([
      'PORT',
      'WEBHOOK_DELIVERY_RETENTION_DAYS',
    ]);
    expect(
      loadGeneratorConfig({ ...longStream, WEBHOOK_DELIVERY_RETENTION_DAYS: 'off' }).retention
        .webhookDeliveriesMs,
    ).toBeNull();
  });

  it('requires ADMIN_TOKEN and WEBHOOK_SECRET_KEYS (an empty one counts as unset)', () => {
    expect(names(problemsOf({}))).toEqual(['ADMIN_TOKEN', 'WEBHOOK_SECRET_KEYS']);
    expect(names(problemsOf({ ADMIN_TOKEN: '', WEBHOOK_SECRET_KEYS }))).toEqual(['ADMIN_TOKEN']);
    expect(names(problemsOf({ ADMIN_TOKEN, WEBHOOK_SECRET_KEYS: '' }))).toEqual(['WEBHOOK_SECRET_KEYS']);
  });

  it.each([
    ['a key of 16 bytes', `k1:${Buffer.alloc(16).toString('base64')}`],
    ['no id', Buffer.alloc(32).toString('base64')],
    [
      'an id listed twice',
      `k1:${Buffer.alloc(32).toString('base64')},k1:${Buffer.alloc(32, 2).toString('base64')}`,
    ],
  ])('refuses WEBHOOK_SECRET_KEYS with %s, without echoing the keys', (_what, value) => {
    const problems = problemsOf({ ADMIN_TOKEN, WEBHOOK_SECRET_KEYS: value });
    expect(names(problems)).toEqual(['WEBHOOK_SECRET_KEYS']);
    expect(problems.join('\n')).not.toContain(Buffer.alloc(32).toString('base64'));
  });

  it('names every bad variable, common and generator-specific, at once', () => {
    expect(
      names(
        problemsOf({
          ADMIN_TOKEN: 'short',
          WEBHOOK_SECRET_KEYS,
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
    expect(names(problemsOf({ ...REQUIRED, [name]: value }))).toEqual([name]);
  });
});
