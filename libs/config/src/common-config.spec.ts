import { commonEnvSchema, toCommonConfig, withCommonEnvChecks, type CommonConfig } from './common-config';
import { ConfigValidationError, parseEnv, type Env } from './env-parsing';

const ADMIN_TOKEN = 'admin-token-0123456789';

describe('toCommonConfig', () => {
  it('builds the nested config from defaults', () => {
    const config: CommonConfig = toCommonConfig('svc', parseEnv(commonEnvSchema(5003), { ADMIN_TOKEN }));
    expect(config).toStrictEqual({
      serviceName: 'svc',
      logLevel: 'info',
      metricsPort: undefined,
      adminPort: undefined,
      shutdown: { delayMs: 5_000, graceMs: 20_000 },
      readiness: { requiresNats: true },
      http: {
        port: 5003,
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
        maxAgeMs: 7 * 86_400_000,
        maxBytes: 1 << 30,
        duplicateWindowMs: 120_000,
        replicas: 1,
      },
      adminToken: ADMIN_TOKEN,
      rateLimits: {
        legacyPerIp: { limit: 120, windowMs: 60_000 },
        authFailuresPerIp: { maxFailures: 20, windowMs: 900_000, lockoutMs: 60_000, maxLockoutMs: 3_600_000 },
        storeTimeoutMs: 500,
        storeMaxBytes: 16_777_216,
        syncIntervalMs: 100,
      },
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
    });
  });

  it('carries every variable to its place', () => {
    const env = {
      PORT: '7000',
      ADMIN_PORT: '7001',
      HOST: '127.0.0.1',
      HTTP_BODY_LIMIT_BYTES: '2048',
      LOG_LEVEL: 'debug',
      MONGODB_URI: 'mongodb+srv://cluster.example.com/prod',
      MONGODB_MAX_POOL_SIZE: '50',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1500',
      MONGODB_ALLOW_WEAK_DURABILITY: 'true',
      NATS_URL: 'nats://n1:4222,nats://n2:4222',
      NATS_USER: 'svc',
      NATS_PASSWORD: 'pw',
      NATS_TOKEN: 'tok',
      NATS_NKEY_SEED_FILE: '/run/secrets/nats.nk',
      ADMIN_TOKEN,
      SWAGGER_ENABLED: 'no',
      TRUST_PROXY: '10.0.0.0/8, loopback',
      CORS_ORIGINS: 'https://shop.example.com,http://localhost:3000',
      HTTP_MAX_HEADER_BYTES: '8192',
      HTTP_REQUEST_TIMEOUT_MS: '20000',
      HTTP_HEADERS_TIMEOUT_MS: '5000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
      HTTP_CONNECTION_TIMEOUT_MS: '90000',
      RATE_LIMIT_LEGACY_PER_IP: 'off',
      AUTH_FAILURES_PER_IP: '10/5m',
      AUTH_LOCKOUT_SECONDS: '30',
      AUTH_LOCKOUT_MAX_SECONDS: '600',
      RATE_LIMIT_STORE_TIMEOUT_MS: '200',
      RATE_LIMIT_STORE_MAX_BYTES: '1048576',
      RATE_LIMIT_SYNC_MS: '250',
      EVENTS_STREAM_RETENTION: 'interest',
      EVENTS_STREAM_MAX_AGE_SECONDS: '3600',
      EVENTS_STREAM_MAX_BYTES: '1048576',
      EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS: '3600',
      EVENTS_STREAM_REPLICAS: '3',
      LOAD_SHED_ENABLED: 'true',
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: 'off',
      LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0.98',
      LOAD_SHED_MAX_HEAP_BYTES: '1073741824',
      LOAD_SHED_MAX_RSS_BYTES: 'off',
      LOAD_SHED_MAX_IN_FLIGHT: '64',
      LOAD_SHED_RETRY_AFTER_SECONDS: '30',
      LOAD_SHED_FAILS_READINESS: 'true',
    };
    expect(toCommonConfig('svc', parseEnv(commonEnvSchema(5003), env))).toStrictEqual({
      serviceName: 'svc',
      logLevel: 'debug',
      metricsPort: undefined,
      adminPort: 7001,
      shutdown: { delayMs: 5_000, graceMs: 20_000 },
      readiness: { requiresNats: true },
      http: {
        port: 7000,
        host: '127.0.0.1',
        bodyLimitBytes: 2048,
        docsEnabled: false,
        maxHeaderBytes: 8192,
        requestTimeoutMs: 20_000,
        headersTimeoutMs: 5_000,
        keepAliveTimeoutMs: 65_000,
        connectionTimeoutMs: 90_000,
        trustProxy: ['10.0.0.0/8', 'loopback'],
        corsOrigins: ['https://shop.example.com', 'http://localhost:3000'],
      },
      mongo: {
        uri: 'mongodb+srv://cluster.example.com/prod',
        maxPoolSize: 50,
        serverSelectionTimeoutMs: 1500,
        allowWeakDurability: true,
      },
      nats: {
        servers: ['nats://n1:4222', 'nats://n2:4222'],
        user: 'svc',
        password: 'pw',
        token: 'tok',
        nkeySeedFile: '/run/secrets/nats.nk',
      },
      eventStream: {
        retention: 'interest',
        maxAgeMs: 3_600_000,
        maxBytes: 1_048_576,
        duplicateWindowMs: 3_600_000,
        replicas: 3,
      },
      adminToken: ADMIN_TOKEN,
      rateLimits: {
        legacyPerIp: null,
        authFailuresPerIp: { maxFailures: 10, windowMs: 300_000, lockoutMs: 30_000, maxLockoutMs: 600_000 },
        storeTimeoutMs: 200,
        storeMaxBytes: 1_048_576,
        syncIntervalMs: 250,
      },
      loadShedding: {
        enabled: true,
        maxEventLoopDelayMs: null,
        maxEventLoopUtilization: 0.98,
        maxHeapBytes: 1_073_741_824,
        maxRssBytes: null,
        maxInFlight: 64,
        retryAfterSeconds: 30,
        failsReadiness: true,
      },
    });
  });

  it.each([
    ['EVENTS_STREAM_RETENTION', 'workqueue'],
    // The duplicate window may not outlast the stream's max age: their ranges cannot overlap wrongly.
    ['EVENTS_STREAM_MAX_AGE_SECONDS', '3599'],
    ['EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS', '3601'],
    ['EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS', '0'],
    ['EVENTS_STREAM_MAX_BYTES', '1000'],
    ['EVENTS_STREAM_REPLICAS', '6'],
    // Below a few hundred keys a bucket would be full at once; above 1 GiB it is NATS's memory.
    ['RATE_LIMIT_STORE_MAX_BYTES', '65535'],
    ['RATE_LIMIT_STORE_MAX_BYTES', '1073741825'],
    ['RATE_LIMIT_SYNC_MS', '9'],
    ['RATE_LIMIT_SYNC_MS', '5001'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => parseEnv(commonEnvSchema(5003), { ADMIN_TOKEN, [name]: value })).toThrow(
      new RegExp(`${name}:`),
    );
  });
});

describe('withCommonEnvChecks', () => {
  const schema = withCommonEnvChecks(commonEnvSchema(5003));
  const problemsOf = (env: Env): string[] => {
    try {
      parseEnv(schema, env);
    } catch (error) {
      if (error instanceof ConfigValidationError) return [...error.problems];
      throw error;
    }
    throw new Error('expected a ConfigValidationError');
  };

  it('refuses a headers timeout above the request timeout, naming it', () => {
    expect(
      problemsOf({ ADMIN_TOKEN, HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '6000' }),
    ).toEqual(['HTTP_HEADERS_TIMEOUT_MS: must not be above HTTP_REQUEST_TIMEOUT_MS']);
  });

  it('refuses a maximum lockout below the first lockout, naming it', () => {
    expect(problemsOf({ ADMIN_TOKEN, AUTH_LOCKOUT_SECONDS: '600', AUTH_LOCKOUT_MAX_SECONDS: '60' })).toEqual([
      'AUTH_LOCKOUT_MAX_SECONDS: must not be below AUTH_LOCKOUT_SECONDS',
    ]);
  });

  it('refuses an admin port that is the API or the metrics port, naming it', () => {
    expect(problemsOf({ ADMIN_TOKEN, PORT: '5003', ADMIN_PORT: '5003' })).toEqual([
      'ADMIN_PORT: must differ from PORT',
    ]);
    expect(problemsOf({ ADMIN_TOKEN, ADMIN_PORT: '9100', METRICS_PORT: '9100' })).toEqual([
      'ADMIN_PORT: must differ from METRICS_PORT',
    ]);
    // The API port's default counts too.
    expect(problemsOf({ ADMIN_TOKEN, ADMIN_PORT: '5003' })).toEqual(['ADMIN_PORT: must differ from PORT']);
  });

  it.each(['0', '65536', 'admin', '80.5'])('refuses ADMIN_PORT=%s', (value) => {
    expect(problemsOf({ ADMIN_TOKEN, ADMIN_PORT: value }).map((p) => p.split(':')[0])).toEqual([
      'ADMIN_PORT',
    ]);
  });

  it('accepts an admin port of its own, and no admin port', () => {
    expect(parseEnv(schema, { ADMIN_TOKEN, ADMIN_PORT: '8081', METRICS_PORT: '9100' }).ADMIN_PORT).toBe(8081);
    expect(parseEnv(schema, { ADMIN_TOKEN }).ADMIN_PORT).toBeUndefined();
  });

  it('reports them together with other bad variables', () => {
    const names = problemsOf({
      PORT: 'x',
      HTTP_REQUEST_TIMEOUT_MS: '5000',
      HTTP_HEADERS_TIMEOUT_MS: '6000',
    }).map((p) => p.split(':')[0]);
    expect(names.sort()).toEqual(['ADMIN_TOKEN', 'HTTP_HEADERS_TIMEOUT_MS', 'PORT']);
  });

  it('accepts equal values', () => {
    expect(() =>
      parseEnv(schema, {
        ADMIN_TOKEN,
        HTTP_REQUEST_TIMEOUT_MS: '5000',
        HTTP_HEADERS_TIMEOUT_MS: '5000',
        AUTH_LOCKOUT_SECONDS: '60',
        AUTH_LOCKOUT_MAX_SECONDS: '60',
      }),
    ).not.toThrow();
  });
});

describe('observability variables', () => {
  it('names a bad OTLP endpoint, sampler, shutdown timing or metrics port', () => {
    let problems: readonly string[] = [];
    try {
      parseEnv(commonEnvSchema(5003), {
        ADMIN_TOKEN,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_TRACES_SAMPLER: 'sometimes',
        SHUTDOWN_GRACE_MS: '10',
        METRICS_PORT: '0',
      });
    } catch (error) {
      problems = (error as ConfigValidationError).problems;
    }
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'METRICS_PORT',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_TRACES_SAMPLER',
      'SHUTDOWN_GRACE_MS',
    ]);
  });
});
