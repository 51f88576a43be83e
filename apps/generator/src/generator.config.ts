import { z } from 'zod';
import {
  commonEnvSchema,
  envBoolean,
  envInt,
  envRate,
  parseEnv,
  toCommonConfig,
  withCommonEnvChecks,
  type CommonConfig,
  type CommonRateLimitConfig,
  type Env,
  type RateSetting,
} from '@app/config';

export const GENERATOR_DEFAULT_PORT = 5001;

export const generatorEnvSchema = withCommonEnvChecks(
  commonEnvSchema(GENERATOR_DEFAULT_PORT).extend({
    DEV_OPEN_BRAND_API: envBoolean(false),
    GENERATION_MAX_COUNT: envInt(1, 10_000_000).default(1_000_000),
    GENERATION_BATCH_SIZE: envInt(100, 10_000).default(1_000),
    RATE_LIMIT_GENERATION_PER_BRAND: envRate().prefault('60/1m'),
    API_KEY_ROTATION_GRACE_SECONDS: envInt(0, 30 * 86_400).default(86_400),
  }),
);

export interface GeneratorRateLimitConfig extends CommonRateLimitConfig {
  /** Generation requests per brand (its API keys share one count). */
  readonly generationPerBrand: RateSetting | null;
}

export interface GeneratorConfig extends CommonConfig {
  readonly devOpenBrandApi: boolean;
  readonly generation: {
    /** Largest count one request may ask for. */
    readonly maxCount: number;
    /** Codes per insertMany: bounds memory and the size of one database round trip. */
    readonly batchSize: number;
  };
  readonly rateLimits: GeneratorRateLimitConfig;
  /** How long a brand's previous API key keeps working after a rotation. */
  readonly apiKeyRotationGraceMs: number;
}

export function loadGeneratorConfig(env: Env): GeneratorConfig {
  const parsed = parseEnv(generatorEnvSchema, env);
  const common = toCommonConfig('generator', parsed);
  return {
    ...common,
    devOpenBrandApi: parsed.DEV_OPEN_BRAND_API,
    generation: { maxCount: parsed.GENERATION_MAX_COUNT, batchSize: parsed.GENERATION_BATCH_SIZE },
    rateLimits: { ...common.rateLimits, generationPerBrand: parsed.RATE_LIMIT_GENERATION_PER_BRAND },
    apiKeyRotationGraceMs: parsed.API_KEY_ROTATION_GRACE_SECONDS * 1_000,
  };
}

export type GeneratorEnvVariable = keyof z.infer<typeof generatorEnvSchema>;
