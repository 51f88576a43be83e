import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, generationChunkMessageId, WORK_SUBJECTS, type GenerationChunkV1 } from '@app/contracts';
import { WorkQueue } from '@app/messaging';
import { BrandsRepository, GenerationJobsRepository, type JobRecord } from '@app/persistence';
import { CodeGenerationService, type GenerationRequest } from './code-generation.service';
import { GENERATION_CONFIG, JOBS_CONFIG, type GenerationConfig, type JobsConfig } from '../generator.config';
import { BrandQuotas } from '../quotas/brand-quotas';
import { chunkCountOf, planChunks } from './chunk-plan';

/** Chunk publishes in flight at once when a job is queued. */
const PUBLISH_CONCURRENCY = 32;

/**
 * Generation jobs: a request too large to finish within an HTTP request is reserved, recorded in
 * MongoDB and cut into chunks on the work queue, which every generator replica pulls from (see
 * ChunkWorker). Progress lives in the job document only.
 */
@Injectable()
export class GenerationJobsService {
  private readonly logger = new Logger(GenerationJobsService.name);

  constructor(
    @Inject(GENERATION_CONFIG) private readonly generationSettings: GenerationConfig,
    @Inject(JOBS_CONFIG) private readonly jobSettings: JobsConfig,
    private readonly generation: CodeGenerationService,
    private readonly jobs: GenerationJobsRepository,
    private readonly brands: BrandsRepository,
    private readonly queue: WorkQueue,
    private readonly quotas: BrandQuotas,
  ) {}

  /** True when a request of `count` codes is answered by a job rather than inline. */
  isJobSized(count: number): boolean {
    return count > this.generationSettings.inlineMaxCount;
  }

  /**
   * Reserves the whole job's room in the code space, records the job and queues its chunks. When
   * NATS refuses the chunks the job is marked failed, its reservation given back, and the caller
   * gets service_unavailable (503): nothing is left half-queued. The brand's quotas (jobs at
   * once, codes stored) are checked before and again once the job is recorded, when it counts
   * for every other check too; a job refused then is withdrawn before any chunk is queued.
   */
  async submit(brandId: string, request: GenerationRequest): Promise<JobRecord> {
    const format = this.generation.checkRequest(request);
    await this.quotas.assertJobSlot(brandId);
    const spaceKey = await this.generation.reserveFor(brandId, format, request.count);
    const plan = planChunks(request.count, this.jobSettings.chunkSize);
    let job: JobRecord;
    try {
      job = await this.jobs.create({
        id: randomUUID(),
        brandId,
        ...(request.campaignId !== undefined ? { campaignId: request.campaignId } : {}),
        requested: request.count,
        format: { length: format.length, prefix: format.prefix, alphabet: format.alphabet },
        spaceKey,
        expiresAt: request.expiresAt,
        chunkSize: plan.chunkSize,
        chunkCount: plan.chunkCount,
        createdAt: new Date(),
      });
    } catch (error) {
      await this.brands.releaseCodeSpace(brandId, spaceKey, request.count);
      throw error;
    }
    try {
      await this.quotas.assertRecordedJob(job);
    } catch (error) {
      // The check's own error is the answer (a refusal, or the MongoDB error that kept it from
      // completing); whatever the clean-up meets is only logged.
      await this.withdrawUnchecked(job);
      throw error;
    }
    try {
      await this.publishChunks(job, range(job.chunkCount));
    } catch (error) {
      await this.stopUnqueued(job, 'the work queue (NATS) refused the chunks');
      this.logger.warn(`job ${job.id} not queued: ${String(error)}`);
      throw new DomainError('service_unavailable', 'The job queue (NATS) is unavailable; try again shortly');
    }
    this.logger.log(`job ${job.id}: ${job.requested} codes for ${brandId} in ${job.chunkCount} chunk(s)`);
    return job;
  }

  /**
   * A job that did not pass its quota check must never run. It is withdrawn (deleted while still
   * queued) and its reservation given back. When the withdraw fails too (MongoDB unreachable a
   * moment), it is stopped as failed instead, as when NATS refuses the chunks: a job left queued
   * without chunks would be found stalled and have all its chunks queued by the JobSupervisor.
   * Never throws; a job that can be neither withdrawn nor stopped is logged as an error.
   */
  private async withdrawUnchecked(job: JobRecord): Promise<void> {
    let withdrawn: boolean;
    try {
      withdrawn = await this.jobs.withdraw(job.id);
    } catch (error) {
      this.logger.warn(`job ${job.id} not withdrawn after its quota check, stopping it: ${String(error)}`);
      try {
        await this.stopUnqueued(job, 'its quota check could not be completed');
      } catch (stopError) {
        this.logger.error(
          `job ${job.id} did not pass its quota check and could be neither withdrawn nor stopped; ` +
            `the JobSupervisor may run it: ${String(stopError)}`,
        );
      }
      return;
    }
    try {
      if (withdrawn) await this.releaseUnused(job);
    } catch (error) {
      this.logger.error(`job ${job.id} withdrawn but its code-space reservation kept: ${String(error)}`);
    }
  }

  /** Stops as failed a job none of whose chunks was queued, and gives back its reservation. */
  private async stopUnqueued(job: JobRecord, reason: string): Promise<void> {
    const stopped = await this.jobs.stop(job.id, 'failed', new Date(), reason);
    if (stopped) await this.releaseUnused(stopped);
  }

  /** Publishes chunks (again): message ids make a second publish of a waiting chunk a no-op. */
  async publishChunks(job: JobRecord, chunks: readonly number[]): Promise<void> {
    const plan = { chunkSize: job.chunkSize, chunkCount: job.chunkCount };
    for (let start = 0; start < chunks.length; start += PUBLISH_CONCURRENCY) {
      await Promise.all(
        chunks.slice(start, start + PUBLISH_CONCURRENCY).map((chunk) => {
          const payload: GenerationChunkV1 = {
            jobId: job.id,
            brandId: job.brandId,
            chunk,
            count: chunkCountOf(job.requested, plan, chunk),
          };
          return this.queue.publish(
            WORK_SUBJECTS.generationChunk,
            payload,
            generationChunkMessageId(payload),
          );
        }),
      );
    }
  }

  async get(jobId: string): Promise<JobRecord> {
    const job = await this.jobs.findById(jobId);
    if (!job) throw new DomainError('not_found', `Job ${jobId} does not exist`);
    return job;
  }

  /** Cancels an unfinished job; workers stop at their next batch. Codes already stored stay. */
  async cancel(jobId: string): Promise<JobRecord> {
    const stopped = await this.jobs.stop(jobId, 'cancelled', new Date());
    if (stopped) {
      await this.releaseUnused(stopped);
      return stopped;
    }
    const job = await this.get(jobId);
    throw new DomainError('invalid_state', `Job ${jobId} is already ${job.status}`, { status: job.status });
  }

  /** Gives back the reservation of codes a stopped job will never store. */
  async releaseUnused(job: JobRecord): Promise<void> {
    await this.brands.releaseCodeSpace(job.brandId, job.spaceKey, job.requested - job.generated);
  }
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
