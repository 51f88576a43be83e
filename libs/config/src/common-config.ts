import { z } from 'zod';
import { envBoolean, envInt, envMongoUri, envPort, envSecret, envUrlList } from './env-parsing';

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
export const commonEnvSchema = (defaultPort: number) =>
  z.object({
    PORT: envPort(defaultPort),
    HOST: z.string().default('0.0.0.0'),
    HTTP_BODY_LIMIT_BYTES: envInt(1024, 64 * 1024 * 1024).default(64 * 1024),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    MONGODB_URI: envMongoUri().default('mongodb://127.0.0.1:27017/discounts'),
    MONGODB_MAX_POOL_SIZE: envInt(1, 1000).optional(),
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: envInt(100, 120_000).default(5_000),
    NATS_URL: envUrlList(['nats:', 'tls:', 'ws:', 'wss:']).default(['nats://127.0.0.1:4222']),
    NATS_USER: z.string().optional(),
    NATS_PASSWORD: z.string().optional(),
    NATS_TOKEN: z.string().optional(),
    ADMIN_TOKEN: envSecret(16),
    SWAGGER_ENABLED: envBoolean(true),
    // The event stream: both services create or update it at start-up, so give both the same values.
    EVENTS_STREAM_RETENTION: z.enum(STREAM_RETENTIONS).default('limits'),
    // At least an hour, and the duplicate window at most an hour, so the window always fits the age.
    EVENTS_STREAM_MAX_AGE_SECONDS: envInt(3_600, 10 * 365 * 86_400).default(7 * 86_400),
    EVENTS_STREAM_MAX_BYTES: envInt(1 << 20, 2 ** 50).default(1 << 30),
    EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS: envInt(1, 3_600).default(120),
    EVENTS_STREAM_REPLICAS: envInt(1, 5).default(1),
  });

export type CommonEnv = z.infer<ReturnType<typeof commonEnvSchema>>;

export interface HttpConfig {
  readonly port: number;
  readonly host: string;
  readonly bodyLimitBytes: number;
  readonly docsEnabled: boolean;
}

export interface MongoConfig {
  readonly uri: string;
  /** Unset means "the service's default"; the dev server (FerretDB) always gets one connection. */
  readonly maxPoolSize: number | undefined;
  readonly serverSelectionTimeoutMs: number;
}

export interface NatsConfig {
  readonly servers: readonly string[];
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly token: string | undefined;
}

export interface EventStreamConfig {
  readonly retention: StreamRetention;
  readonly maxAgeMs: number;
  readonly maxBytes: number;
  /** JetStream drops a message whose id it has seen within this window. */
  readonly duplicateWindowMs: number;
  readonly replicas: number;
}

export interface CommonConfig {
  readonly serviceName: string;
  readonly logLevel: LogLevel;
  readonly http: HttpConfig;
  readonly mongo: MongoConfig;
  readonly nats: NatsConfig;
  readonly eventStream: EventStreamConfig;
  readonly adminToken: string;
}

export function toCommonConfig(serviceName: string, env: CommonEnv): CommonConfig {
  return {
    serviceName,
    logLevel: env.LOG_LEVEL,
    http: {
      port: env.PORT,
      host: env.HOST,
      bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
      docsEnabled: env.SWAGGER_ENABLED,
    },
    mongo: {
      uri: env.MONGODB_URI,
      maxPoolSize: env.MONGODB_MAX_POOL_SIZE,
      serverSelectionTimeoutMs: env.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    },
    nats: {
      servers: env.NATS_URL,
      user: env.NATS_USER,
      password: env.NATS_PASSWORD,
      token: env.NATS_TOKEN,
    },
    eventStream: {
      retention: env.EVENTS_STREAM_RETENTION,
      maxAgeMs: env.EVENTS_STREAM_MAX_AGE_SECONDS * 1_000,
      maxBytes: env.EVENTS_STREAM_MAX_BYTES,
      duplicateWindowMs: env.EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS * 1_000,
      replicas: env.EVENTS_STREAM_REPLICAS,
    },
    adminToken: env.ADMIN_TOKEN,
  };
}
