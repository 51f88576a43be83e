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
    mongo: { uri: mongodbUriFor(databaseName), maxPoolSize: undefined, serverSelectionTimeoutMs: 10_000 },
    nats: { servers: [testStack().natsUrl], user: undefined, password: undefined, token: undefined },
  };
}
