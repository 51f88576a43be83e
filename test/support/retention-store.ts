/**
 * The generator's retention sweeper on a database of the spec's own, with the persistence lib's
 * schemas and repositories it works through, on a monitored connection (./command-monitor): for
 * the integration specs that drive the sweep by calling its run with a chosen `now`
 * (code-expiry, record-retention).
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type mongoose from 'mongoose';
import {
  Code,
  CodeClaimsRepository,
  CodeExpiryRepository,
  CodeInventoryRepository,
  CodeListingRepository,
  CodePoolRepository,
  CodeSchema,
  GenerationJob,
  GenerationJobChunk,
  GenerationJobChunkSchema,
  GenerationJobSchema,
  GenerationJobsRepository,
  WebhookAttempt,
  WebhookAttemptSchema,
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
  WebhookDelivery,
  WebhookDeliverySchema,
} from '@app/persistence';
// The sweeper is generator code; the integration tier runs it on a real server, with its
// repositories only.
// eslint-disable-next-line no-restricted-imports
import type { RetentionConfig } from '../../apps/generator/src/generator.config';
// eslint-disable-next-line no-restricted-imports
import { RetentionSweeper } from '../../apps/generator/src/retention/retention-sweeper';
import { monitoredConnection, type MonitoredConnection } from './command-monitor';

export type { RetentionSweeper };

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const KEEP_ALL: RetentionConfig = {
  expiredCodesMs: null,
  webhookDeliveriesMs: null,
  generationJobsMs: null,
};
export const THIRTY_DAYS: RetentionConfig = {
  expiredCodesMs: 30 * DAY_MS,
  webhookDeliveriesMs: 30 * DAY_MS,
  generationJobsMs: 30 * DAY_MS,
};

export interface RetentionStore {
  readonly monitored: MonitoredConnection;
  readonly inventory: CodeInventoryRepository;
  readonly listing: CodeListingRepository;
  readonly claims: CodeClaimsRepository;
  readonly pool: CodePoolRepository;
  readonly expiry: CodeExpiryRepository;
  readonly deliveries: WebhookDeliveriesRepository;
  readonly attempts: WebhookAttemptsRepository;
  readonly jobs: GenerationJobsRepository;
  /** A sweeper with this retention, on the repositories above. */
  readonly sweeper: (config: RetentionConfig) => RetentionSweeper;
  /** Empties every collection the sweep works on. */
  readonly clear: () => Promise<void>;
  /** Drops the database and closes the connection. */
  readonly close: () => Promise<void>;
}

export async function openRetentionStore(dbName: string): Promise<RetentionStore> {
  // The sweeper's summary lines would only clutter the output.
  Logger.overrideLogger(['error', 'fatal']);
  // The lib's schemas and repositories on a connection of the spec's own: command monitoring must
  // be on before the driver connects.
  const monitored = await monitoredConnection(dbName);
  const model = <T>(name: string, schema: mongoose.Schema<T>) => monitored.connection.model<T>(name, schema);
  const code = model(Code.name, CodeSchema);
  const delivery = model(WebhookDelivery.name, WebhookDeliverySchema);
  const attempt = model(WebhookAttempt.name, WebhookAttemptSchema);
  const job = model(GenerationJob.name, GenerationJobSchema);
  const chunk = model(GenerationJobChunk.name, GenerationJobChunkSchema);
  const models = [code, delivery, attempt, job, chunk] as unknown as mongoose.Model<unknown>[];
  // What IndexesReady does at start-up: the new indexes must build on this server too.
  await Promise.all(models.map((m) => m.init()));
  const expiry = new CodeExpiryRepository(code);
  const deliveries = new WebhookDeliveriesRepository(delivery);
  const attempts = new WebhookAttemptsRepository(attempt);
  const jobs = new GenerationJobsRepository(job, chunk);
  return {
    monitored,
    inventory: new CodeInventoryRepository(code),
    listing: new CodeListingRepository(code),
    claims: new CodeClaimsRepository(code),
    pool: new CodePoolRepository(code),
    expiry,
    deliveries,
    attempts,
    jobs,
    sweeper: (config) => new RetentionSweeper(config, expiry, deliveries, attempts, jobs),
    clear: async () => {
      await Promise.all(models.map((m) => m.deleteMany({}).exec()));
    },
    close: async () => {
      await monitored.connection.dropDatabase();
      await monitored.connection.close();
    },
  };
}

/** A brand of its own, for each test's data. */
export const brand = () => `brand-${randomBytes(4).toString('hex')}`;
