import { z } from 'zod';
import {
  commonEnvSchema,
  envBoolean,
  envInt,
  parseEnv,
  toCommonConfig,
  type CommonConfig,
  type Env,
} from '@app/config';

export const GENERATOR_DEFAULT_PORT = 5001;

export const generatorEnvSchema = commonEnvSchema(GENERATOR_DEFAULT_PORT).extend({
  DEV_OPEN_BRAND_API: envBoolean(false),
  GENERATION_MAX_COUNT: envInt(1, 10_000_000).default(1_000_000),
  GENERATION_BATCH_SIZE: envInt(100, 10_000).default(1_000),
});

export interface GeneratorConfig extends CommonConfig {
  readonly devOpenBrandApi: boolean;
  readonly generation: {
    /** Largest count one request may ask for. */
    readonly maxCount: number;
    /** Codes per insertMany: bounds memory and the size of one database round trip. */
    readonly batchSize: number;
  };
}

export function loadGeneratorConfig(env: Env): GeneratorConfig {
  const parsed = parseEnv(generatorEnvSchema, env);
  return {
    ...toCommonConfig('generator', parsed),
    devOpenBrandApi: parsed.DEV_OPEN_BRAND_API,
    generation: { maxCount: parsed.GENERATION_MAX_COUNT, batchSize: parsed.GENERATION_BATCH_SIZE },
  };
}

export type GeneratorEnvVariable = keyof z.infer<typeof generatorEnvSchema>;
