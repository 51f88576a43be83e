import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { GenerationMetrics } from '@app/metrics';
import { GenerationJobsRepository } from '@app/persistence';
import type { GeneratorConfig } from '../generator.config';
import { ChunkWorker } from './chunk-worker';
import { GenerationJobsService, range } from './generation-jobs.service';

/** Stalled jobs handled per look. */
const BATCH = 20;
const MAX_INTERVAL_MS = 30_000;

/**
 * Heals jobs that stopped moving: a replica that died between recording a job and queueing all
 * its chunks, a work stream that lost its messages, a worker that recorded the last chunk and
 * died before completing the job. Every replica runs one; what they do is idempotent (chunk
 * messages carry their id, so a re-publish of a waiting chunk is dropped; completing is a
 * conditional update), so no leader is needed.
 */
@Injectable()
export class JobSupervisor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobSupervisor.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: GeneratorConfig,
    private readonly jobs: GenerationJobsRepository,
    private readonly service: GenerationJobsService,
    private readonly worker: ChunkWorker,
    private readonly metrics: GenerationMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const interval = Math.min(MAX_INTERVAL_MS, Math.max(1_000, Math.floor(this.config.jobs.stallMs / 2)));
    this.timer = setInterval(() => {
      this.running ??= this.look()
        .catch((error: unknown) => this.logger.warn(`stalled-job check failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One look at the unfinished jobs without progress for GENERATION_JOB_STALL_SECONDS. */
  async look(now = new Date()): Promise<void> {
    this.metrics.jobCounts(await this.jobs.countByStatus());
    const stalled = await this.jobs.findStalled(new Date(now.getTime() - this.config.jobs.stallMs), BATCH);
    for (const job of stalled) {
      // First, so that other replicas looking at the same moment skip it.
      await this.jobs.touch(job.id, now);
      if (job.doneChunks.length === job.chunkCount) {
        this.logger.warn(`job ${job.id}: every chunk done but not completed; completing`);
        await this.worker.complete(job);
        continue;
      }
      const done = new Set(job.doneChunks);
      const missing = range(job.chunkCount).filter((chunk) => !done.has(chunk));
      this.logger.warn(`job ${job.id}: no progress for a while; queueing ${missing.length} chunk(s) again`);
      await this.service.publishChunks(job, missing);
    }
  }
}
