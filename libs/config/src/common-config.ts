import { z } from 'zod';
import {
  envBoolean,
  envInt,
  envMongoUri,
  envOriginList,
  envPort,
  envRate,
  envSecret,
  envTrustProxy,
  envUrl,
  envUrlList,
  type RateSetting,
  type TrustProxySetting,
} from './env-parsing';
import { loadSheddingEnv, type LoadSheddingConfig } from './load-shedding-config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * limits: events stay for the max age whatever consumers do (replays possible, the default).
 * interest: an event goes once every consumer acknowledged it; with no consumer defined yet,
 * events are dropped at once, so only pick it once the generator's durable consumers exist.
 */
export const STREAM_RETENTIONS = ['limits', 'interest'] as const;
export type StreamRetention = (typeof STREAM_RETENTIONS)[number];

/** Variables every service reads. Names are the environment variable names. */
export interface CommonDefaults {
  /** Whether /health/ready fails without NATS (the generator cannot work without it). */
  readonly readyRequiresNats?: boolean;
  /** Requests per client IP on the service's predecessor routes. */
  readonly legacyPerIp?: string;
}

export const commonEnvSchema = (
  defaultPort: number,
  { readyRequiresNats = true, legacyPerIp = '120/1m' }: CommonDefaults = {},
) =>
  z.object({
    PORT: envPort(defaultPort),
    HOST: z.string().default('0.0.0.0'),
    HTTP_BODY_LIMIT_BYTES: envInt(1024, 64 * 1024 * 1024).default(64 * 1024),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    MONGODB_URI: envMongoUri().default('mongodb://127.0.0.1:27017/discounts'),
    MONGODB_MAX_POOL_SIZE: envInt(1, 1000).optional(),
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: envInt(100, 120_000).default(5_000),
    // Lets MONGODB_URI set a weaker write or read concern than the one pinned in code (see
    // @app/persistence durability.ts); without it such a URI stops the start-up.
    MONGODB_ALLOW_WEAK_DURABILITY: envBoolean(false),
    NATS_URL: envUrlList(['nats:', 'tls:', 'ws:', 'wss:']).default(['nats://127.0.0.1:4222']),
    NATS_USER: z.string().optional(),
    NATS_PASSWORD: z.string().optional(),
    NATS_TOKEN: z.string().optional(),
    // A file holding an NKey seed (SU…): the seed signs the server's challenge and never travels.
    NATS_NKEY_SEED_FILE: z.string().optional(),
    ADMIN_TOKEN: envSecret(16),
    SWAGGER_ENABLED: envBoolean(true),
    TRUST_PROXY: envTrustProxy(),
    CORS_ORIGINS: envOriginList().optional(),
    HTTP_MAX_HEADER_BYTES: envInt(1024, 1024 * 1024).default(16 * 1024),
    HTTP_REQUEST_TIMEOUT_MS: envInt(1_000, 600_000).default(30_000),
    HTTP_HEADERS_TIMEOUT_MS: envInt(500, 600_000).default(10_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: envInt(1_000, 600_000).default(72_000),
    HTTP_CONNECTION_TIMEOUT_MS: envInt(1_000, 3_600_000).default(120_000),
    RATE_LIMIT_LEGACY_PER_IP: envRate().prefault(legacyPerIp),
    AUTH_FAILURES_PER_IP: envRate().prefault('20/15m'),
    AUTH_LOCKOUT_SECONDS: envInt(1, 86_400).default(60),
    AUTH_LOCKOUT_MAX_SECONDS: envInt(1, 7 * 86_400).default(3_600),
    RATE_LIMIT_STORE_TIMEOUT_MS: envInt(50, 10_000).default(500),
    // Cap of each rate-limit bucket in NATS's memory; a full one makes this process count alone.
    RATE_LIMIT_STORE_MAX_BYTES: envInt(64 * 1024, 1024 ** 3).default(16 * 1024 ** 2),
    // How often replicas send each other the requests they admitted: the limits' staleness bound.
    RATE_LIMIT_SYNC_MS: envInt(10, 5_000).default(100),
    // The event stream: both services create or update it at start-up, so give both the same values.
    EVENTS_STREAM_RETENTION: z.enum(STREAM_RETENTIONS).default('limits'),
    // At least an hour, and the duplicate window at most an hour, so the window always fits the age.
    EVENTS_STREAM_MAX_AGE_SECONDS: envInt(3_600, 10 * 365 * 86_400).default(7 * 86_400),
    EVENTS_STREAM_MAX_BYTES: envInt(1 << 20, 2 ** 50).default(1 << 30),
    EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS: envInt(1, 3_600).default(120),
    EVENTS_STREAM_REPLICAS: envInt(1, 5).default(1),
    METRICS_PORT: envInt(1, 65535).optional(),
    // A second listener of the same app where alone the admin token is honoured, so the public
    // ingress never carries admin requests; unset: the admin token works on PORT (local runs).
    ADMIN_PORT: envInt(1, 65535).optional(),
    SHUTDOWN_DELAY_MS: envInt(0, 300_000).default(5_000),
    SHUTDOWN_GRACE_MS: envInt(1_000, 600_000).default(20_000),
    READY_REQUIRES_NATS: envBoolean(readyRequiresNats),
    // Read by the tracing preload (before this schema runs) and the OpenTelemetry SDK; checked
    // here so that a typo in an endpoint stops the start-up with its name, like any variable.
    OTEL_EXPORTER_OTLP_ENDPOINT: envUrl(['http:', 'https:']).optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: envUrl(['http:', 'https:']).optional(),
    OTEL_SERVICE_NAME: z.string().optional(),
    OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
    OTEL_TRACES_SAMPLER: z
      .enum([
        'always_on',
        'always_off',
        'traceidratio',
        'parentbased_always_on',
        'parentbased_always_off',
        'parentbased_traceidratio',
      ])
      .optional(),
    OTEL_TRACES_SAMPLER_ARG: z.string().optional(),
    OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
    ...loadSheddingEnv.variables,
  });

/**
 * Checks between variables of commonEnvSchema, for the app schemas to apply after `.extend()`
 * (zod cannot extend a refined object). They run even when other variables are bad, so one start
 * names every problem.
 */
export function withCommonEnvChecks<S extends z.ZodObject>(schema: S): S {
  type Partial = { [K in keyof CommonEnv]?: unknown };
  return schema
    .refine(
      (env: Partial) =>
        typeof env.HTTP_HEADERS_TIMEOUT_MS !== 'number' ||
        typeof env.HTTP_REQUEST_TIMEOUT_MS !== 'number' ||
        env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS,
      {
        message: 'must not be above HTTP_REQUEST_TIMEOUT_MS',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        when: () => true,
      },
    )
    .refine(
      (env: Partial) =>
        typeof env.AUTH_LOCKOUT_SECONDS !== 'number' ||
        typeof env.AUTH_LOCKOUT_MAX_SECONDS !== 'number' ||
        env.AUTH_LOCKOUT_SECONDS <= env.AUTH_LOCKOUT_MAX_SECONDS,
      {
        message: 'must not be below AUTH_LOCKOUT_SECONDS',
        path: ['AUTH_LOCKOUT_MAX_SECONDS'],
        when: () => true,
      },
    )
    .refine((env: Partial) => typeof env.ADMIN_PORT !== 'number' || env.ADMIN_PORT !== env.PORT, {
      message: 'must differ from PORT',
      path: ['ADMIN_PORT'],
      when: () => true,
    })
    .refine((env: Partial) => typeof env.ADMIN_PORT !== 'number' || env.ADMIN_PORT !== env.METRICS_PORT, {
      message: 'must differ from METRICS_PORT',
      path: ['ADMIN_PORT'],
      when: () => true,
    });
}

export type CommonEnv = z.infer<ReturnType<typeof commonEnvSchema>>;

export interface HttpConfig {
  readonly port: number;
  readonly host: string;
  readonly bodyLimitBytes: number;
  readonly docsEnabled: boolean;
  readonly maxHeaderBytes: number;
  /** Whole request (headers and body) must arrive within this. */
  readonly requestTimeoutMs: number;
  /** Headers must arrive within this: the slowloris guard. */
  readonly headersTimeoutMs: number;
  /** Idle keep-alive connections are closed after this; keep it above the load balancer's. */
  readonly keepAliveTimeoutMs: number;
  /** A socket with no traffic at all (a stalled reader of a response, say) is closed after this. */
  readonly connectionTimeoutMs: number;
  readonly trustProxy: TrustProxySetting;
  /** Browser origins allowed by CORS; empty: CORS is closed. */
  readonly corsOrigins: readonly string[];
}

/** Failed-authentication lockout: see @app/ratelimit's LockoutPolicy, which this matches. */
export interface LockoutSetting {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
  readonly maxLockoutMs: number;
}

export interface CommonRateLimitConfig {
  /** Per client IP on the predecessor's routes. */
  readonly legacyPerIp: RateSetting | null;
  /** Wrong admin tokens, API keys and JWTs per client IP. */
  readonly authFailuresPerIp: LockoutSetting | null;
  readonly storeTimeoutMs: number;
  /** Cap of each shared bucket (JetStream KV, in memory), in bytes. */
  readonly storeMaxBytes: number;
  /** How often replicas send each other the requests they admitted (ms). */
  readonly syncIntervalMs: number;
}

export interface MongoConfig {
  readonly uri: string;
  /** Unset means "the service's default"; the dev server (FerretDB) always gets one connection. */
  readonly maxPoolSize: number | undefined;
  readonly serverSelectionTimeoutMs: number;
  /** Start even when the URI weakens the pinned write/read concerns (w=1, journal=false, ...). */
  readonly allowWeakDurability: boolean;
}

export interface NatsConfig {
  readonly servers: readonly string[];
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly token: string | undefined;
  /** Path of a file holding the user's NKey seed. */
  readonly nkeySeedFile?: string;
}

export interface EventStreamConfig {
  readonly retention: StreamRetention;
  readonly maxAgeMs: number;
  readonly maxBytes: number;
  /** JetStream drops a message whose id it has seen within this window. */
  readonly duplicateWindowMs: number;
  readonly replicas: number;
}

export interface ShutdownConfig {
  /** After SIGTERM, readiness fails this long before anything stops: load balancers catch up. */
  readonly delayMs: number;
  /** Draining (HTTP, handlers, telemetry, connections) must end within this, or the process exits 1. */
  readonly graceMs: number;
}

export interface CommonConfig {
  readonly serviceName: string;
  /** /metrics on this port instead of the API port; undefined: on the API port. */
  readonly metricsPort: number | undefined;
  /** The admin listener (same app, second port); undefined: the admin token works on the API port. */
  readonly adminPort: number | undefined;
  readonly shutdown: ShutdownConfig;
  readonly readiness: {
    /** NATS and JetStream down fail readiness (else they are only reported). */
    readonly requiresNats: boolean;
  };
  readonly logLevel: LogLevel;
  readonly http: HttpConfig;
  readonly mongo: MongoConfig;
  readonly nats: NatsConfig;
  readonly eventStream: EventStreamConfig;
  readonly adminToken: string;
  readonly rateLimits: CommonRateLimitConfig;
  readonly loadShedding: LoadSheddingConfig;
}

/** A lockout from a `<failures>/<window>` rate and the common lockout durations. */
export function lockoutSetting(failures: RateSetting | null, env: CommonEnv): LockoutSetting | null {
  if (!failures) return null;
  return {
    maxFailures: failures.limit,
    windowMs: failures.windowMs,
    lockoutMs: env.AUTH_LOCKOUT_SECONDS * 1_000,
    maxLockoutMs: env.AUTH_LOCKOUT_MAX_SECONDS * 1_000,
  };
}

export function toCommonConfig(serviceName: string, env: CommonEnv): CommonConfig {
  return {
    serviceName,
    logLevel: env.LOG_LEVEL,
    metricsPort: env.METRICS_PORT,
    adminPort: env.ADMIN_PORT,
    shutdown: { delayMs: env.SHUTDOWN_DELAY_MS, graceMs: env.SHUTDOWN_GRACE_MS },
    readiness: { requiresNats: env.READY_REQUIRES_NATS },
    http: {
      port: env.PORT,
      host: env.HOST,
      bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
      docsEnabled: env.SWAGGER_ENABLED,
      maxHeaderBytes: env.HTTP_MAX_HEADER_BYTES,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      connectionTimeoutMs: env.HTTP_CONNECTION_TIMEOUT_MS,
      trustProxy: env.TRUST_PROXY,
      corsOrigins: env.CORS_ORIGINS ?? [],
    },
    mongo: {
      uri: env.MONGODB_URI,
      maxPoolSize: env.MONGODB_MAX_POOL_SIZE,
      serverSelectionTimeoutMs: env.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
      allowWeakDurability: env.MONGODB_ALLOW_WEAK_DURABILITY,
    },
    nats: {
      servers: env.NATS_URL,
      user: env.NATS_USER,
      password: env.NATS_PASSWORD,
      token: env.NATS_TOKEN,
      ...(env.NATS_NKEY_SEED_FILE ? { nkeySeedFile: env.NATS_NKEY_SEED_FILE } : {}),
    },
    eventStream: {
      retention: env.EVENTS_STREAM_RETENTION,
      maxAgeMs: env.EVENTS_STREAM_MAX_AGE_SECONDS * 1_000,
      maxBytes: env.EVENTS_STREAM_MAX_BYTES,
      duplicateWindowMs: env.EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS * 1_000,
      replicas: env.EVENTS_STREAM_REPLICAS,
    },
    adminToken: env.ADMIN_TOKEN,
    rateLimits: {
      legacyPerIp: env.RATE_LIMIT_LEGACY_PER_IP,
      authFailuresPerIp: lockoutSetting(env.AUTH_FAILURES_PER_IP, env),
      storeTimeoutMs: env.RATE_LIMIT_STORE_TIMEOUT_MS,
      storeMaxBytes: env.RATE_LIMIT_STORE_MAX_BYTES,
      syncIntervalMs: env.RATE_LIMIT_SYNC_MS,
    },
    loadShedding: loadSheddingEnv.read(env),
  };
}
