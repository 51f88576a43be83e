import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { GenerationMetrics } from '@app/metrics';
import { GenerationJobsRepository } from '@app/persistence';
import { PeriodicTask } from '@app/scheduling';
import { JOBS_CONFIG, type JobsConfig } from '../generator.config';
import { ChunkWorker } from './chunk-worker';
import { GenerationJobsService, range } from './generation-jobs.service';

/** Stalled jobs handled per check. */
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
export class JobSupervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobSupervisor.name);
  private readonly task: PeriodicTask;

  constructor(
    @Inject(JOBS_CONFIG) private readonly settings: JobsConfig,
    private readonly jobs: GenerationJobsRepository,
    private readonly service: GenerationJobsService,
    private readonly worker: ChunkWorker,
    private readonly metrics: GenerationMetrics,
  ) {
    const intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(1_000, Math.floor(settings.stallMs / 2)));
    this.task = new PeriodicTask({ name: 'stalled-job check', intervalMs }, () => this.checkStalledJobs());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /**
   * Counts jobs by status, and moves on every unfinished job without progress for
   * GENERATION_JOB_STALL_SECONDS: completed when all its chunks are done, its missing chunks
   * queued again otherwise.
   */
  async checkStalledJobs(now = new Date()): Promise<void> {
    this.metrics.jobCounts(await this.jobs.countByStatus());
    const stalled = await this.jobs.findStalled(new Date(now.getTime() - this.settings.stallMs), BATCH);
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
