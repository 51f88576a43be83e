import type { ValueProvider } from '@nestjs/common';
import { z } from 'zod';
import {
  commonEnvSchema,
  env,
  envBoolean,
  envCidrList,
  envInt,
  envKeyList,
  envPortRanges,
  envRate,
  envSection,
  parseEnv,
  toCommonConfig,
  withCommonEnvChecks,
  type Env,
} from '@app/config';

export const GENERATOR_DEFAULT_PORT = 5001;

/** -1 (never give up) or a positive count. */
const envMaxDeliver = () =>
  z.union([z.literal('-1').transform(() => -1), envInt(1, 10_000)], {
    message: 'expected -1 (unlimited) or a whole number from 1 to 10000',
  });

/** `off` (read as null) or what `schema` reads; `expected` describes the latter in the error. */
const offOr = <T extends z.ZodType>(schema: T, expected: string) =>
  z.union([z.literal('off').transform(() => null), schema], { message: `expected off or ${expected}` });

/** A whole number from min to max, or `off` (no limit). */
const envLimitOrOff = (min: number, max: number) =>
  offOr(envInt(min, max), `a whole number from ${min} to ${max}`);

/** A whole number of seconds, read as milliseconds. */
const envSecondsAsMs = (min: number, max: number, defaultSeconds: number) =>
  envInt(min, max)
    .default(defaultSeconds)
    .transform((seconds) => seconds * 1_000);

const DAY_MS = 86_400_000;

/** `off` (kept for ever) or a whole number of days from 1 to 3650, read as milliseconds. */
const envRetentionDays = () =>
  offOr(
    envInt(1, 3_650).transform((days) => days * DAY_MS),
    'a whole number of days from 1 to 3650',
  );

/*
 * The generator's own settings, a section per feature; each feature injects its section only
 * (the tokens below). Every variable is named once, here.
 */

const settings = envSection({
  devOpenBrandApi: env('DEV_OPEN_BRAND_API', envBoolean(false)),
  /** How long a brand's previous API key keeps working after a rotation. */
  apiKeyRotationGraceMs: env('API_KEY_ROTATION_GRACE_SECONDS', envSecondsAsMs(0, 30 * 86_400, 86_400)),
});

const rateLimits = envSection({
  /** Generation requests per brand (its API keys share one count). */
  generationPerBrand: env('RATE_LIMIT_GENERATION_PER_BRAND', envRate().prefault('60/1m')),
  /** Listing, export and stats requests per brand: each may read all of its codes. */
  readsPerBrand: env('RATE_LIMIT_READS_PER_BRAND', envRate().prefault('120/1m')),
});

const generation = envSection({
  /** Largest count one request may ask for. */
  maxCount: env('GENERATION_MAX_COUNT', envInt(1, 10_000_000).default(10_000_000)),
  /** Codes per insertMany: bounds memory and the size of one database round trip. */
  batchSize: env('GENERATION_BATCH_SIZE', envInt(100, 10_000).default(1_000)),
  /** Up to this many codes are generated within the request (201); more become a job (202). */
  inlineMaxCount: env('GENERATION_INLINE_MAX_COUNT', envInt(1, 10_000_000).default(10_000)),
});

const importSection = envSection({
  /** Largest CSV / NDJSON import body, streamed (JSON arrays stay within HTTP_BODY_LIMIT_BYTES). */
  maxBytes: env('IMPORT_MAX_BYTES', envInt(1_024, 4 * 1_024 ** 3).default(256 * 1_024 ** 2)),
});

const jobs = envSection({
  /** Codes per chunk: the unit of work a replica pulls, acknowledges and redoes after a crash. */
  chunkSize: env('GENERATION_JOB_CHUNK_SIZE', envInt(100, 1_000_000).default(10_000)),
  /** A chunk held this long without a progress report goes to another replica. */
  ackWaitMs: env('GENERATION_JOB_ACK_WAIT_SECONDS', envSecondsAsMs(3, 3_600, 60)),
  /** An unfinished job without progress for this long has its missing chunks queued again. */
  stallMs: env('GENERATION_JOB_STALL_SECONDS', envSecondsAsMs(5, 86_400, 120)),
});

const consumers = envSection({
  ackWaitMs: env('EVENTS_CONSUMER_ACK_WAIT_SECONDS', envSecondsAsMs(1, 3_600, 30)),
  /** -1: never give up on an event (failed batches are retried with a delay). */
  maxDeliver: env('EVENTS_CONSUMER_MAX_DELIVER', envMaxDeliver().default(-1)),
});

const webhooks = envSection({
  /** Addresses webhooks may reach although private, loopback or link-local (SSRF policy exceptions). */
  allowedRanges: env('WEBHOOK_ALLOWED_CIDRS', envCidrList().default([])),
  allowHttp: env('WEBHOOK_ALLOW_HTTP', envBoolean(false)),
  allowedPorts: env('WEBHOOK_ALLOWED_PORTS', envPortRanges().default([{ from: 443, to: 443 }])),
  /** Keys that seal webhook secrets at rest; the first seals, all of them open. */
  secretKeys: env('WEBHOOK_SECRET_KEYS', envKeyList()),
  /** How long a brand's replaced webhook secret keeps signing deliveries (next to the new one) after a rotation. */
  secretRotationGraceMs: env('WEBHOOK_SECRET_ROTATION_GRACE_SECONDS', envSecondsAsMs(0, 30 * 86_400, 86_400)),
  connectTimeoutMs: env('WEBHOOK_CONNECT_TIMEOUT_MS', envInt(100, 60_000).default(3_000)),
  timeoutMs: env('WEBHOOK_TIMEOUT_MS', envInt(500, 120_000).default(10_000)),
  maxAttempts: env('WEBHOOK_MAX_ATTEMPTS', envInt(1, 100).default(12)),
  maxAgeMs: env('WEBHOOK_MAX_AGE_SECONDS', envSecondsAsMs(60, 30 * 86_400, 86_400)),
  backoffBaseMs: env('WEBHOOK_BACKOFF_BASE_MS', envInt(10, 3_600_000).default(1_000)),
  backoffMaxMs: env('WEBHOOK_BACKOFF_MAX_MS', envInt(10, 86_400_000).default(3_600_000)),
  /** Attempts in flight at once, all brands together. */
  maxConcurrency: env('WEBHOOK_MAX_CONCURRENCY', envInt(1, 1_000).default(32)),
  /** Attempts in flight at once for one brand: a hanging receiver holds no more than this. */
  maxInFlightPerBrand: env('WEBHOOK_MAX_IN_FLIGHT_PER_BRAND', envInt(1, 100).default(4)),
  /** How often due deliveries (retries) are looked for; new ones are dispatched at once. */
  pollIntervalMs: env('WEBHOOK_POLL_INTERVAL_MS', envInt(50, 60_000).default(1_000)),
});

/** What one brand may hold and run at once (the answers: 409 quota_exceeded, 429 too_many_*). */
const quotas = envSection({
  /** Codes a brand may have stored, whatever their status; off: no limit. */
  maxCodes: env('BRAND_MAX_CODES', envLimitOrOff(1, 1_000_000_000_000).default(10_000_000)),
  /** Generation jobs of one brand queued or running at once, across replicas. */
  maxConcurrentJobs: env('BRAND_MAX_CONCURRENT_JOBS', envInt(1, 1_000).default(3)),
  /** CSV exports of one brand streaming at once, per replica (each holds a cursor and a socket). */
  maxConcurrentExports: env('BRAND_MAX_CONCURRENT_EXPORTS', envInt(1, 1_000).default(2)),
});

const replenish = envSection({
  /** One replenishment per brand per this long, however many triggers arrive together. */
  cooldownMs: env('REPLENISH_COOLDOWN_MS', envInt(0, 3_600_000).default(5_000)),
});

/** The FerretDB dev server only (see @app/persistence's slow-claims.ts); ignored on MongoDB. */
const devServer = envSection({
  /**
   * Codes in the collection past which a generation answer warns that claims are slow; unset: the
   * number measured for the dev server's handler. For tests, which cannot afford the real size.
   */
  slowClaimCodes: env(
    'DEV_SERVER_SLOW_CLAIM_CODES',
    envInt(1, 1_000_000_000)
      .optional()
      .transform((codes) => codes ?? null),
  ),
});

/** Redemptions at checkout (apps/generator/src/redemptions). */
const redemptions = envSection({
  /**
   * How long after its redemption an order may still roll it back (a cancelled order returns the
   * code to its holder); 0: redemptions are final.
   */
  rollbackWindowMs: env('REDEMPTION_ROLLBACK_WINDOW_SECONDS', envSecondsAsMs(0, 3_650 * 86_400, 30 * 86_400)),
});

/** How long finished records stay before the retention sweep deletes them. */
const retention = envSection({
  /** Expired (never claimed) codes, counted from their expiry; by default kept, as the brand's record. */
  expiredCodesMs: env('EXPIRED_CODES_RETENTION_DAYS', envRetentionDays().prefault('off')),
  /** Delivered and dead-lettered webhook deliveries with their attempts, counted from the end. */
  webhookDeliveriesMs: env('WEBHOOK_DELIVERY_RETENTION_DAYS', envRetentionDays().prefault('30')),
  /** Completed, failed and cancelled generation jobs, counted from when they finished. */
  generationJobsMs: env('GENERATION_JOB_RETENTION_DAYS', envRetentionDays().prefault('30')),
});

export const generatorEnvSchema = withCommonEnvChecks(
  commonEnvSchema(GENERATOR_DEFAULT_PORT).extend({
    ...settings.variables,
    ...rateLimits.variables,
    ...generation.variables,
    ...importSection.variables,
    ...jobs.variables,
    ...consumers.variables,
    ...webhooks.variables,
    ...quotas.variables,
    ...replenish.variables,
    ...redemptions.variables,
    ...retention.variables,
    ...devServer.variables,
  }),
).refine(
  // A claim event still in the stream can come again (a redelivery, a consumer replayed): its
  // delivery must still be there to recognise it, or the brand's webhook would be called twice.
  // Checked even when other variables are bad (all problems reported at once), hence the guards.
  (env: { WEBHOOK_DELIVERY_RETENTION_DAYS?: unknown; EVENTS_STREAM_MAX_AGE_SECONDS?: unknown }) =>
    typeof env.WEBHOOK_DELIVERY_RETENTION_DAYS !== 'number' ||
    typeof env.EVENTS_STREAM_MAX_AGE_SECONDS !== 'number' ||
    env.WEBHOOK_DELIVERY_RETENTION_DAYS >= env.EVENTS_STREAM_MAX_AGE_SECONDS * 1_000,
  {
    message: 'must keep deliveries at least as long as EVENTS_STREAM_MAX_AGE_SECONDS keeps events',
    path: ['WEBHOOK_DELIVERY_RETENTION_DAYS'],
    when: () => true,
  },
);

export function loadGeneratorConfig(env: Env) {
  const parsed = parseEnv(generatorEnvSchema, env);
  const common = toCommonConfig('generator', parsed);
  return {
    ...common,
    ...settings.read(parsed),
    rateLimits: { ...common.rateLimits, ...rateLimits.read(parsed) },
    generation: generation.read(parsed),
    import: importSection.read(parsed),
    jobs: jobs.read(parsed),
    consumers: consumers.read(parsed),
    webhooks: webhooks.read(parsed),
    quotas: quotas.read(parsed),
    replenish: replenish.read(parsed),
    redemptions: redemptions.read(parsed),
    retention: retention.read(parsed),
    devServer: devServer.read(parsed),
  };
}

export type GeneratorConfig = ReturnType<typeof loadGeneratorConfig>;
export type GenerationConfig = GeneratorConfig['generation'];
export type ImportConfig = GeneratorConfig['import'];
export type JobsConfig = GeneratorConfig['jobs'];
export type ConsumersConfig = GeneratorConfig['consumers'];
export type WebhookConfig = GeneratorConfig['webhooks'];
export type QuotasConfig = GeneratorConfig['quotas'];
export type ReplenishConfig = GeneratorConfig['replenish'];
export type RedemptionsConfig = GeneratorConfig['redemptions'];
export type RetentionConfig = GeneratorConfig['retention'];
export type DevServerConfig = GeneratorConfig['devServer'];
export type BrandsConfig = Pick<GeneratorConfig, 'apiKeyRotationGraceMs'>;

export const BRANDS_CONFIG = Symbol('BRANDS_CONFIG');
export const GENERATION_CONFIG = Symbol('GENERATION_CONFIG');
export const IMPORT_CONFIG = Symbol('IMPORT_CONFIG');
export const JOBS_CONFIG = Symbol('JOBS_CONFIG');
export const CONSUMERS_CONFIG = Symbol('CONSUMERS_CONFIG');
export const WEBHOOK_CONFIG = Symbol('WEBHOOK_CONFIG');
export const QUOTAS_CONFIG = Symbol('QUOTAS_CONFIG');
export const REPLENISH_CONFIG = Symbol('REPLENISH_CONFIG');
export const REDEMPTIONS_CONFIG = Symbol('REDEMPTIONS_CONFIG');
export const RETENTION_CONFIG = Symbol('RETENTION_CONFIG');
export const DEV_SERVER_CONFIG = Symbol('DEV_SERVER_CONFIG');

/** Each feature's section under its own token: a feature injects what it reads, not the whole. */
export function configSections(config: GeneratorConfig): ValueProvider[] {
  return [
    { provide: BRANDS_CONFIG, useValue: { apiKeyRotationGraceMs: config.apiKeyRotationGraceMs } },
    { provide: GENERATION_CONFIG, useValue: config.generation },
    { provide: IMPORT_CONFIG, useValue: config.import },
    { provide: JOBS_CONFIG, useValue: config.jobs },
    { provide: CONSUMERS_CONFIG, useValue: config.consumers },
    { provide: WEBHOOK_CONFIG, useValue: config.webhooks },
    { provide: QUOTAS_CONFIG, useValue: config.quotas },
    { provide: REPLENISH_CONFIG, useValue: config.replenish },
    { provide: REDEMPTIONS_CONFIG, useValue: config.redemptions },
    { provide: RETENTION_CONFIG, useValue: config.retention },
    { provide: DEV_SERVER_CONFIG, useValue: config.devServer },
  ];
}

export type GeneratorEnvVariable = keyof z.infer<typeof generatorEnvSchema>;
