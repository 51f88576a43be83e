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
import { parseCidr, type AddressRange } from './webhooks/address-policy';

export const GENERATOR_DEFAULT_PORT = 5001;

export interface GeneratorRateLimitConfig extends CommonRateLimitConfig {
  /** Generation requests per brand (its API keys share one count). */
  readonly generationPerBrand: RateSetting | null;
}
/** Comma-separated IP addresses or CIDR blocks, e.g. "127.0.0.1,10.1.0.0/16". */
const envCidrList = () =>
  z.string().transform((value, ctx) => {
    const ranges: AddressRange[] = [];
    for (const part of value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      try {
        ranges.push(parseCidr(part));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }
    return ranges;
  });

/** -1 (never give up) or a positive count. */
const envMaxDeliver = () =>
  z.union([z.literal('-1').transform(() => -1), envInt(1, 10_000)], {
    message: 'expected -1 (unlimited) or a whole number from 1 to 10000',
  });

export const generatorEnvSchema = withCommonEnvChecks(
  commonEnvSchema(GENERATOR_DEFAULT_PORT).extend({
    DEV_OPEN_BRAND_API: envBoolean(false),
    GENERATION_MAX_COUNT: envInt(1, 10_000_000).default(10_000_000),
    GENERATION_BATCH_SIZE: envInt(100, 10_000).default(1_000),
    GENERATION_INLINE_MAX_COUNT: envInt(1, 10_000_000).default(10_000),
    IMPORT_MAX_BYTES: envInt(1_024, 4 * 1_024 ** 3).default(256 * 1_024 ** 2),
    GENERATION_JOB_CHUNK_SIZE: envInt(100, 1_000_000).default(10_000),
    GENERATION_JOB_ACK_WAIT_SECONDS: envInt(3, 3_600).default(60),
    GENERATION_JOB_STALL_SECONDS: envInt(5, 86_400).default(120),
    RATE_LIMIT_GENERATION_PER_BRAND: envRate().prefault('60/1m'),
    API_KEY_ROTATION_GRACE_SECONDS: envInt(0, 30 * 86_400).default(86_400),
    EVENTS_CONSUMER_ACK_WAIT_SECONDS: envInt(1, 3_600).default(30),
    EVENTS_CONSUMER_MAX_DELIVER: envMaxDeliver().default(-1),
    WEBHOOK_ALLOWED_CIDRS: envCidrList().default([]),
    WEBHOOK_CONNECT_TIMEOUT_MS: envInt(100, 60_000).default(3_000),
    WEBHOOK_TIMEOUT_MS: envInt(500, 120_000).default(10_000),
    WEBHOOK_MAX_ATTEMPTS: envInt(1, 100).default(12),
    WEBHOOK_MAX_AGE_SECONDS: envInt(60, 30 * 86_400).default(86_400),
    WEBHOOK_BACKOFF_BASE_MS: envInt(10, 3_600_000).default(1_000),
    WEBHOOK_BACKOFF_MAX_MS: envInt(10, 86_400_000).default(3_600_000),
    WEBHOOK_MAX_CONCURRENCY: envInt(1, 1_000).default(32),
    WEBHOOK_MAX_IN_FLIGHT_PER_BRAND: envInt(1, 100).default(4),
    WEBHOOK_POLL_INTERVAL_MS: envInt(50, 60_000).default(1_000),
    REPLENISH_COOLDOWN_MS: envInt(0, 3_600_000).default(5_000),
  }),
);

export interface WebhookConfig {
  /** Addresses webhooks may reach although private, loopback or link-local (SSRF policy exceptions). */
  readonly allowedRanges: readonly AddressRange[];
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly maxAgeMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** Attempts in flight at once, all brands together. */
  readonly maxConcurrency: number;
  /** Attempts in flight at once for one brand: a hanging receiver holds no more than this. */
  readonly maxInFlightPerBrand: number;
  /** How often due deliveries (retries) are looked for; new ones are dispatched at once. */
  readonly pollIntervalMs: number;
}

export interface GeneratorConfig extends CommonConfig {
  readonly devOpenBrandApi: boolean;
  readonly generation: {
    /** Largest count one request may ask for. */
    readonly maxCount: number;
    /** Codes per insertMany: bounds memory and the size of one database round trip. */
    readonly batchSize: number;
    /** Up to this many codes are generated within the request (201); more become a job (202). */
    readonly inlineMaxCount: number;
  };
  readonly import: {
    /** Largest CSV / NDJSON import body, streamed (JSON arrays stay within HTTP_BODY_LIMIT_BYTES). */
    readonly maxBytes: number;
  };
  readonly jobs: {
    /** Codes per chunk: the unit of work a replica pulls, acknowledges and redoes after a crash. */
    readonly chunkSize: number;
    /** A chunk held this long without a progress report goes to another replica. */
    readonly ackWaitMs: number;
    /** An unfinished job without progress for this long has its missing chunks queued again. */
    readonly stallMs: number;
  };
  readonly rateLimits: GeneratorRateLimitConfig;
  /** How long a brand's previous API key keeps working after a rotation. */
  readonly apiKeyRotationGraceMs: number;
  readonly consumers: {
    readonly ackWaitMs: number;
    /** -1: never give up on an event (failed batches are retried with a delay). */
    readonly maxDeliver: number;
  };
  readonly webhooks: WebhookConfig;
  readonly replenish: {
    /** One replenishment per brand per this long, however many triggers arrive together. */
    readonly cooldownMs: number;
  };
}

export function loadGeneratorConfig(env: Env): GeneratorConfig {
  const parsed = parseEnv(generatorEnvSchema, env);
  const common = toCommonConfig('generator', parsed);
  return {
    ...common,
    devOpenBrandApi: parsed.DEV_OPEN_BRAND_API,
    generation: {
      maxCount: parsed.GENERATION_MAX_COUNT,
      batchSize: parsed.GENERATION_BATCH_SIZE,
      inlineMaxCount: parsed.GENERATION_INLINE_MAX_COUNT,
    },
    import: { maxBytes: parsed.IMPORT_MAX_BYTES },
    jobs: {
      chunkSize: parsed.GENERATION_JOB_CHUNK_SIZE,
      ackWaitMs: parsed.GENERATION_JOB_ACK_WAIT_SECONDS * 1_000,
      stallMs: parsed.GENERATION_JOB_STALL_SECONDS * 1_000,
    },
    rateLimits: { ...common.rateLimits, generationPerBrand: parsed.RATE_LIMIT_GENERATION_PER_BRAND },
    apiKeyRotationGraceMs: parsed.API_KEY_ROTATION_GRACE_SECONDS * 1_000,
    consumers: {
      ackWaitMs: parsed.EVENTS_CONSUMER_ACK_WAIT_SECONDS * 1_000,
      maxDeliver: parsed.EVENTS_CONSUMER_MAX_DELIVER,
    },
    webhooks: {
      allowedRanges: parsed.WEBHOOK_ALLOWED_CIDRS,
      connectTimeoutMs: parsed.WEBHOOK_CONNECT_TIMEOUT_MS,
      timeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
      maxAttempts: parsed.WEBHOOK_MAX_ATTEMPTS,
      maxAgeMs: parsed.WEBHOOK_MAX_AGE_SECONDS * 1_000,
      backoffBaseMs: parsed.WEBHOOK_BACKOFF_BASE_MS,
      backoffMaxMs: parsed.WEBHOOK_BACKOFF_MAX_MS,
      maxConcurrency: parsed.WEBHOOK_MAX_CONCURRENCY,
      maxInFlightPerBrand: parsed.WEBHOOK_MAX_IN_FLIGHT_PER_BRAND,
      pollIntervalMs: parsed.WEBHOOK_POLL_INTERVAL_MS,
    },
    replenish: { cooldownMs: parsed.REPLENISH_COOLDOWN_MS },
  };
}

export type GeneratorEnvVariable = keyof z.infer<typeof generatorEnvSchema>;
