import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import {
  GENERATION_WORKERS_DURABLE,
  generationChunkV1Schema,
  WORK_SUBJECTS,
  type GenerationChunkV1,
} from '@app/contracts';
import { WorkQueue, type WorkItem } from '@app/messaging';
import { GenerationMetrics } from '@app/metrics';
import {
  BrandsRepository,
  CodeInventoryRepository,
  FINISHED_JOB_STATUSES,
  GenerationJobsRepository,
  type JobRecord,
} from '@app/persistence';
import {
  CodeGenerationService,
  CodeSpaceSaturatedError,
  PartialStoreError,
  type StoreTarget,
} from './code-generation.service';
import { JOBS_CONFIG, type JobsConfig } from '../generator.config';
import { chunkCountOf, reconcileStep } from './chunk-plan';
import { GenerationJobsService } from './generation-jobs.service';

/** A failed chunk (database down, say) comes back after this. */
const RETRY_DELAY_MS = 2_000;
/** The job's status is read at most this often while a chunk runs (cancellation check). */
const STATUS_CHECK_INTERVAL_MS = 250;
/** Rounds of the final per-chunk check before a job is declared complete anyway (logged). */
const MAX_FINAL_CHECKS = 5;

type Stop = () => Promise<boolean>;
type ChunkResult = 'stored' | 'stopped' | 'failed' | 'skipped';

/**
 * Works on generation-job chunks pulled from the shared work queue, one at a time per replica.
 *
 * Exactly N, crash-safe:
 * - First delivery: codes are inserted until the insert results add up to the chunk's count
 *   (duplicates regenerated), then the chunk is recorded in the job (idempotent update).
 * - A redelivery (the worker before died mid-chunk, or NATS lost the ack) cannot trust any count
 *   in memory: it reads how many codes of {job, chunk} exist, inserts the shortfall or trims the
 *   surplus, and repeats until it reads exactly the chunk's count, then records the chunk.
 * - Whoever finds the chunk already recorded after having written to it (two workers on one
 *   chunk) reconciles once more, so the chunk ends exact whichever finishes last.
 * - The message is acknowledged (and the ack confirmed by the server) only after all that: a
 *   crash at any point means a redelivery, never a lost chunk.
 * - The worker that records the last chunk checks the job's total once and repairs any chunk
 *   that is off before marking the job completed.
 */
@Injectable()
export class ChunkWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(ChunkWorker.name);

  constructor(
    @Inject(JOBS_CONFIG) private readonly settings: JobsConfig,
    private readonly queue: WorkQueue,
    private readonly jobs: GenerationJobsRepository,
    private readonly inventory: CodeInventoryRepository,
    private readonly brands: BrandsRepository,
    private readonly generation: CodeGenerationService,
    private readonly jobService: GenerationJobsService,
    private readonly metrics: GenerationMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.startWorker({
      durableName: GENERATION_WORKERS_DURABLE,
      subject: WORK_SUBJECTS.generationChunk,
      schema: generationChunkV1Schema,
      ackWaitMs: this.settings.ackWaitMs,
      retryDelayMs: RETRY_DELAY_MS,
      handle: (item) => this.handle(item),
    });
  }

  async handle(item: WorkItem<GenerationChunkV1>): Promise<void> {
    const started = performance.now();
    if (item.deliveryCount > 1) this.metrics.chunkEnded('redelivered');
    try {
      const outcome = await this.work(item);
      if (outcome === 'stored') this.metrics.chunkStored((performance.now() - started) / 1000);
      else if (outcome === 'stopped') this.metrics.chunkEnded('cancelled');
      else if (outcome === 'failed') this.metrics.chunkEnded('failed');
    } catch (error) {
      this.metrics.chunkEnded('failed');
      throw error;
    }
  }

  /** What became of the chunk: stored, stopped with its cancelled job, failed, or nothing to do. */
  private async work({ payload, deliveryCount }: WorkItem<GenerationChunkV1>): Promise<ChunkResult> {
    const job = await this.jobs.findById(payload.jobId);
    // Unknown, finished or already recorded: nothing to do, the message is acknowledged.
    if (!job || FINISHED_JOB_STATUSES.includes(job.status) || job.doneChunks.includes(payload.chunk)) {
      return 'skipped';
    }
    const count = chunkCountOf(job.requested, job, payload.chunk);
    if (count !== payload.count || job.brandId !== payload.brandId) {
      this.logger.error(`chunk ${payload.chunk} of job ${job.id} does not match the job; dropped`);
      return 'skipped';
    }
    await this.jobs.markRunning(job.id, new Date());
    const target: StoreTarget = {
      brandId: job.brandId,
      campaignId: job.campaignId,
      batchId: job.id,
      createdAt: job.createdAt,
      expiresAt: job.expiresAt ?? undefined,
      chunk: payload.chunk,
      format: job.format,
      count,
    };
    const stop = this.stopCheck(job.id);
    try {
      if (deliveryCount === 1) {
        const stored = await this.generation.storeExactly(target, stop);
        if (stored < count) return await this.settleStopped(job, payload.chunk);
      } else {
        if (!(await this.reconcile(target, stop))) return await this.settleStopped(job, payload.chunk);
      }
      return await this.record(job, target, stop);
    } catch (error) {
      const cause = error instanceof PartialStoreError ? error.cause : error;
      if (cause instanceof CodeSpaceSaturatedError) {
        await this.fail(job, payload.chunk, cause.message);
        return 'failed';
      }
      throw cause;
    }
  }

  /** Records the chunk in the job; completes the job when it was the last. */
  private async record(job: JobRecord, target: StoreTarget, stop: Stop): Promise<ChunkResult> {
    const chunk = target.chunk!;
    const outcome = await this.jobs.recordChunkDone(job.id, chunk, target.count, new Date());
    this.logger.debug(`chunk ${chunk} of job ${job.id} stored: ${outcome.outcome}`);
    switch (outcome.outcome) {
      case 'recorded':
        if (outcome.job.doneChunks.length === outcome.job.chunkCount) await this.complete(outcome.job);
        return 'stored';
      case 'already_done':
        // Another worker held this chunk too; our writes may have come after its final count.
        await this.reconcile(target, stop);
        return 'stored';
      case 'job_finished':
        return this.settleStopped(job, chunk);
    }
  }

  /**
   * Brings a chunk to exactly its count: read, insert the shortfall or trim the surplus, read
   * again, until a read is exact. False when the job stopped meanwhile.
   */
  private async reconcile(target: StoreTarget, stop: Stop): Promise<boolean> {
    const chunk = target.chunk!;
    for (;;) {
      if (await stop()) return false;
      const stored = await this.inventory.countChunk(target.brandId, target.batchId, chunk);
      const step = reconcileStep(stored, target.count);
      switch (step.action) {
        case 'exact':
          return true;
        case 'insert':
          await this.generation.storeExactly({ ...target, count: step.count });
          break;
        case 'trim':
          if ((await this.inventory.trimChunk(target.brandId, target.batchId, chunk, step.count)) === 0) {
            // Only claimed codes are left to trim: they are handed out and must stay.
            this.logger.warn(
              `chunk ${chunk} of job ${target.batchId} keeps ${step.count} claimed extra code(s)`,
            );
            return true;
          }
          break;
      }
    }
  }

  /** Every chunk recorded: check the job's total once, repair what is off, then complete it. */
  async complete(job: JobRecord): Promise<void> {
    const never: Stop = () => Promise.resolve(false);
    for (let round = 0; round < MAX_FINAL_CHECKS; round++) {
      if ((await this.inventory.countJob(job.brandId, job.id)) === job.requested) break;
      const perChunk = await this.inventory.countJobByChunk(job.brandId, job.id);
      for (let chunk = 0; chunk < job.chunkCount; chunk++) {
        const count = chunkCountOf(job.requested, job, chunk);
        if ((perChunk.get(chunk) ?? 0) === count) continue;
        this.logger.warn(
          `job ${job.id}: chunk ${chunk} holds ${perChunk.get(chunk) ?? 0} of ${count}; repairing`,
        );
        await this.reconcile(
          {
            brandId: job.brandId,
            campaignId: job.campaignId,
            batchId: job.id,
            createdAt: job.createdAt,
            expiresAt: job.expiresAt ?? undefined,
            chunk,
            format: job.format,
            count,
          },
          never,
        );
      }
    }
    const finishedAt = new Date();
    if (await this.jobs.markCompleted(job.id, finishedAt)) {
      this.logger.log(`job ${job.id} completed: ${job.requested} codes for ${job.brandId}`);
      this.generation.announceStored(job.brandId, job.id, job.requested, finishedAt);
    }
  }

  /**
   * The job stopped (cancelled, failed) while this chunk ran: what the chunk stored stays, is
   * counted in the job's `generated` once, and is reserved again in the code space (the stop
   * gave back everything not generated at that moment).
   */
  private async settleStopped(job: JobRecord, chunk: number): Promise<'stopped'> {
    const stored = await this.inventory.countChunk(job.brandId, job.id, chunk);
    if (stored > 0 && (await this.jobs.addStrayCodes(job.id, chunk, stored))) {
      await this.brands.addToCodeSpace(job.brandId, job.spaceKey, stored);
    }
    return 'stopped';
  }

  private async fail(job: JobRecord, chunk: number, reason: string): Promise<void> {
    this.logger.error(`job ${job.id} failed: ${reason}`);
    const stopped = await this.jobs.stop(job.id, 'failed', new Date(), reason);
    if (stopped) await this.jobService.releaseUnused(stopped);
    await this.settleStopped(job, chunk);
  }

  /**
   * Asks the job's status, at most every STATUS_CHECK_INTERVAL_MS: true once it was cancelled or
   * failed. Not for completed: a chunk written after its job completed must still be trimmed.
   */
  private stopCheck(jobId: string): Stop {
    let lastCheck = 0;
    let stopped = false;
    return async () => {
      if (stopped) return true;
      const now = Date.now();
      if (now - lastCheck < STATUS_CHECK_INTERVAL_MS) return false;
      lastCheck = now;
      const status = await this.jobs.statusOf(jobId);
      stopped = status === null || status === 'cancelled' || status === 'failed';
      return stopped;
    };
  }
}
