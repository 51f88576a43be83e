import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import {
  CodeExpiryRepository,
  GenerationJobsRepository,
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
} from '@app/persistence';
import { drainInBatches, PeriodicTask, type BatchLimits } from '@app/scheduling';
import { RETENTION_CONFIG, type RetentionConfig } from '../generator.config';
import { retentionCutoffs } from './retention-plan';

/** Often enough that codes leave the claim path soon after they expire; a run with nothing to do is one indexed read per kind. */
const SWEEP_INTERVAL_MS = 60_000;
export const SWEEP_BATCHES: BatchLimits = { size: 1_000, maxBatches: 20 };

/**
 * What one run did: codes and jobs as selected (a replica sweeping at once may have written some
 * of them first), deliveries and attempts as deleted.
 */
export interface SweepReport {
  readonly codesMarkedExpired: number;
  readonly expiredCodesDeleted: number;
  readonly deliveriesDeleted: number;
  readonly attemptsDeleted: number;
  readonly jobsDeleted: number;
}

/**
 * Keeps the collections from growing for ever, on an interval:
 * - available codes past their expiry become `expired`, so claims (which look for `available`
 *   codes in the index) stop scanning them; with EXPIRED_CODES_RETENTION_DAYS they are later
 *   deleted (by default they stay, reported by stats and exports as the brand's record);
 * - delivered and dead-lettered webhook deliveries with their attempts, and finished generation
 *   jobs with their chunk records, are deleted once older than their retention. Pending
 *   deliveries and queued or running jobs never are.
 *
 * Deletes by itself rather than through TTL indexes: FerretDB v1, the dev and test server, refuses
 * `expireAfterSeconds` outright ("Index option is not implemented yet", so the schema's indexes
 * would not even build there) and has no collMod to change it; on MongoDB, a TTL's fixed
 * expireAfterSeconds would need collMod on every change of the setting, and could not express
 * `off`. One sweeper does the same on both, follows the setting at once, and writes in bounded
 * batches with a majority write concern.
 *
 * Every replica runs it: each write repeats its selection's conditions, so replicas that select
 * the same records at once change them once and the others find nothing left.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionSweeper.name);
  private readonly task = new PeriodicTask(
    { name: 'retention sweep', intervalMs: SWEEP_INTERVAL_MS },
    async () => {
      await this.sweep();
    },
  );
  private stopping = false;

  constructor(
    @Inject(RETENTION_CONFIG) private readonly retention: RetentionConfig,
    private readonly codes: CodeExpiryRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly attempts: WebhookAttemptsRepository,
    private readonly jobs: GenerationJobsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Ends the run in progress after its current batch instead of after its whole backlog.
    this.stopping = true;
    await this.task.stop();
  }

  /** One run; `now` and the batch limits are parameters so tests drive it without the timer. */
  async sweep(now = new Date(), batches: BatchLimits = SWEEP_BATCHES): Promise<SweepReport> {
    const cutoffs = retentionCutoffs(now, this.retention);
    const drain = (step: (limit: number) => Promise<number>) =>
      drainInBatches(step, batches, () => this.stopping);

    // First what slows claims down, then what only takes room.
    const codesMarkedExpired = await drain((limit) => this.codes.markExpired(now, limit));
    const expiredCodesDeleted = cutoffs.expiredCodes
      ? await drain((limit) => this.codes.deleteExpired(cutoffs.expiredCodes!, limit))
      : 0;

    let deliveriesDeleted = 0;
    let attemptsDeleted = 0;
    const deliveriesCutoff = cutoffs.webhookDeliveries;
    if (deliveriesCutoff) {
      await drain(async (limit) => {
        const ids = await this.deliveries.findFinishedBefore(deliveriesCutoff, limit);
        // Attempts first: an interruption leaves deliveries to select again, never orphan attempts.
        attemptsDeleted += await this.attempts.deleteOfDeliveries(ids, deliveriesCutoff);
        deliveriesDeleted += await this.deliveries.deleteFinished(ids, deliveriesCutoff);
        return ids.length;
      });
    }

    const jobsCutoff = cutoffs.generationJobs;
    const jobsDeleted = jobsCutoff
      ? await drain((limit) => this.jobs.deleteFinishedBefore(jobsCutoff, limit))
      : 0;

    const report = {
      codesMarkedExpired,
      expiredCodesDeleted,
      deliveriesDeleted,
      attemptsDeleted,
      jobsDeleted,
    };
    if (Object.values(report).some((n) => n > 0)) {
      this.logger.log(
        `retention sweep: ${codesMarkedExpired} codes marked expired, ${expiredCodesDeleted} expired codes, ` +
          `${deliveriesDeleted} webhook deliveries (${attemptsDeleted} attempts) and ${jobsDeleted} jobs deleted`,
      );
    }
    return report;
  }
}
