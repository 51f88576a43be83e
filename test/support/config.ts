import { commonEnvSchema, parseEnv, toCommonConfig, type CommonConfig } from '@app/config';
import { mongodbUriFor, testStack } from './stack';

/**
 * A CommonConfig built the way the services build theirs (from variables, with every default), so
 * specs that wire libs directly keep up when settings are added. Override what the spec needs.
 */
export function testCommonConfig(serviceName: string): CommonConfig {
  return toCommonConfig(
    serviceName,
    parseEnv(commonEnvSchema(1), {
      ADMIN_TOKEN: `${serviceName}-admin-token`.padEnd(16, '-'),
      LOG_LEVEL: 'warn',
      SWAGGER_ENABLED: 'false',
    }),
  );
}

/** testCommonConfig pointed at the test stack: a database of the spec's own and the stack's NATS. */
export function testStackConfig(serviceName: string, databaseName: string): CommonConfig {
  return {
    ...testCommonConfig(serviceName),
    mongo: {
      uri: mongodbUriFor(databaseName),
      maxPoolSize: undefined,
      serverSelectionTimeoutMs: 10_000,
      allowWeakDurability: false,
    },
    nats: { servers: [testStack().natsUrl], user: undefined, password: undefined, token: undefined },
  };
}

/** testCommonConfig for specs of the messaging lib alone: a NATS of the spec's own, no database. */
export function testNatsConfig(serviceName: string, natsUrl: string): CommonConfig {
  return {
    ...testCommonConfig(serviceName),
    mongo: {
      uri: 'mongodb://127.0.0.1:1/unused',
      maxPoolSize: undefined,
      serverSelectionTimeoutMs: 1_000,
      allowWeakDurability: false,
    },
    nats: { servers: [natsUrl], user: undefined, password: undefined, token: undefined },
    eventStream: {
      retention: 'limits',
      maxAgeMs: 3_600_000,
      maxBytes: 1 << 24,
      duplicateWindowMs: 120_000,
      replicas: 1,
    },
  };
}
