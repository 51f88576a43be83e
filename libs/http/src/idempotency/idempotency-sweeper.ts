import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { IdempotencyRecordsRepository } from '@app/persistence';
import { drainInBatches, PeriodicTask, type BatchLimits } from '@app/scheduling';

/** Records live 24 h; a minute more or less before deletion does not matter (reads check expiry). */
const SWEEP_INTERVAL_MS = 60_000;
const SWEEP_BATCHES: BatchLimits = { size: 1_000, maxBatches: 20 };

/**
 * Deletes expired idempotency records: the TTL index this would be on MongoDB does not exist on
 * FerretDB v1 (see the record's schema). Runs in every replica of both apps; a run with nothing
 * to do is one read of the expiresAt index on MongoDB, and on FerretDB v1 (which reads without
 * indexes) a scan of the collection, which holds no more than a day of keys.
 */
@Injectable()
export class IdempotencySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IdempotencySweeper.name);
  private readonly task = new PeriodicTask(
    { name: 'idempotency key sweep', intervalMs: SWEEP_INTERVAL_MS },
    async () => {
      await this.sweep();
    },
  );
  private stopping = false;

  constructor(private readonly records: IdempotencyRecordsRepository) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Ends the run in progress after its current batch instead of after its whole backlog.
    this.stopping = true;
    await this.task.stop();
  }

  async sweep(now = new Date()): Promise<number> {
    const deleted = await drainInBatches(
      (limit) => this.records.deleteExpired(now, limit),
      SWEEP_BATCHES,
      () => this.stopping,
    );
    if (deleted > 0) this.logger.log(`idempotency key sweep: ${deleted} expired keys deleted`);
    return deleted;
  }
}
