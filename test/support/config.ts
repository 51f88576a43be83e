import { commonEnvSchema, parseEnv, toCommonConfig, type CommonConfig } from '@app/config';

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
