import { commonEnvSchema, toCommonConfig, type CommonConfig } from './common-config';
import { parseEnv } from './env-parsing';

const ADMIN_TOKEN = 'admin-token-0123456789';

describe('toCommonConfig', () => {
  it('builds the nested config from defaults', () => {
    const config: CommonConfig = toCommonConfig('svc', parseEnv(commonEnvSchema(5003), { ADMIN_TOKEN }));
    expect(config).toStrictEqual({
      serviceName: 'svc',
      logLevel: 'info',
      http: { port: 5003, host: '0.0.0.0', bodyLimitBytes: 65_536, docsEnabled: true },
      mongo: {
        uri: 'mongodb://127.0.0.1:27017/discounts',
        maxPoolSize: undefined,
        serverSelectionTimeoutMs: 5_000,
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
    });
  });

  it('carries every variable to its place', () => {
    const env = {
      PORT: '7000',
      HOST: '127.0.0.1',
      HTTP_BODY_LIMIT_BYTES: '2048',
      LOG_LEVEL: 'debug',
      MONGODB_URI: 'mongodb+srv://cluster.example.com/prod',
      MONGODB_MAX_POOL_SIZE: '50',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1500',
      NATS_URL: 'nats://n1:4222,nats://n2:4222',
      NATS_USER: 'svc',
      NATS_PASSWORD: 'pw',
      NATS_TOKEN: 'tok',
      ADMIN_TOKEN,
      SWAGGER_ENABLED: 'no',
      EVENTS_STREAM_RETENTION: 'interest',
      EVENTS_STREAM_MAX_AGE_SECONDS: '3600',
      EVENTS_STREAM_MAX_BYTES: '1048576',
      EVENTS_STREAM_DUPLICATE_WINDOW_SECONDS: '3600',
      EVENTS_STREAM_REPLICAS: '3',
    };
    expect(toCommonConfig('svc', parseEnv(commonEnvSchema(5003), env))).toStrictEqual({
      serviceName: 'svc',
      logLevel: 'debug',
      http: { port: 7000, host: '127.0.0.1', bodyLimitBytes: 2048, docsEnabled: false },
      mongo: {
        uri: 'mongodb+srv://cluster.example.com/prod',
        maxPoolSize: 50,
        serverSelectionTimeoutMs: 1500,
      },
      nats: { servers: ['nats://n1:4222', 'nats://n2:4222'], user: 'svc', password: 'pw', token: 'tok' },
      eventStream: {
        retention: 'interest',
        maxAgeMs: 3_600_000,
        maxBytes: 1_048_576,
        duplicateWindowMs: 3_600_000,
        replicas: 3,
      },
      adminToken: ADMIN_TOKEN,
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
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => parseEnv(commonEnvSchema(5003), { ADMIN_TOKEN, [name]: value })).toThrow(
      new RegExp(`${name}:`),
    );
  });
});
