import { Inject, Injectable } from '@nestjs/common';
import { CodeInventoryRepository, GenerationJobsRepository, type JobRecord } from '@app/persistence';
import { QUOTAS_CONFIG, type QuotasConfig } from '../generator.config';
import { assertCodesFit, remainingCodes, tooManyJobsError, type CodeUsage } from './quota-rules';

export interface CodesRoom {
  readonly limit: number;
  readonly usage: CodeUsage;
  /** Codes that still fit. */
  readonly remaining: number;
}

/**
 * The per-brand quotas that live in MongoDB: codes stored (BRAND_MAX_CODES) and generation jobs
 * queued or running (BRAND_MAX_CONCURRENT_JOBS). Both are counted, not kept as counters, so
 * nothing can drift: codes deleted by the retention sweep, jobs that end however they end, are
 * simply no longer counted.
 *
 * How tight: a check and the write it allows are not one atomic step. Jobs, which carry the
 * large counts, are checked again once recorded, counting themselves and every job recorded
 * beside them (see assertRecordedJob): two jobs recorded at the same moment can both be refused,
 * never both let through. Inline generation and imports are checked once, before they store: a
 * brand's requests checked at the same moment may together pass BRAND_MAX_CODES by at most the
 * codes of those requests (each at most GENERATION_INLINE_MAX_COUNT, or one import).
 */
@Injectable()
export class BrandQuotas {
  constructor(
    @Inject(QUOTAS_CONFIG) private readonly settings: QuotasConfig,
    private readonly inventory: CodeInventoryRepository,
    private readonly jobs: GenerationJobsRepository,
  ) {}

  /**
   * The check that needs no database: more codes than BRAND_MAX_CODES can never fit. For callers
   * that write something first (the predecessor's route registers the brand).
   */
  assertRequestFits(brandId: string, count: number): void {
    assertCodesFit(brandId, this.settings.maxCodes, { stored: 0, pending: 0 }, count);
  }

  /** Refuses `count` more codes (409 quota_exceeded) when they would not fit. */
  async assertCodesFit(brandId: string, count: number): Promise<void> {
    if (this.settings.maxCodes === null) return;
    assertCodesFit(brandId, this.settings.maxCodes, await this.usageOf(brandId), count);
  }

  /** The stored-codes quota as it stands; null without a limit. */
  async codesRoom(brandId: string): Promise<CodesRoom | null> {
    const limit = this.settings.maxCodes;
    if (limit === null) return null;
    const usage = await this.usageOf(brandId);
    return { limit, usage, remaining: remainingCodes(limit, usage) };
  }

  /** Before recording a job: refuses (429 too_many_jobs) a brand already at its limit. */
  async assertJobSlot(brandId: string): Promise<void> {
    const limit = this.settings.maxConcurrentJobs;
    const unfinished = await this.jobs.countUnfinishedOf(brandId);
    if (unfinished >= limit) throw tooManyJobsError(brandId, limit, unfinished);
  }

  /**
   * After recording `job`: both quotas again, now that the job is visible to every other check.
   * Throws when it must not run; the caller then withdraws it. Two jobs recorded at once both see
   * each other here, so they cannot both pass where only one fits.
   */
  async assertRecordedJob(job: JobRecord): Promise<void> {
    const others = (await this.jobs.findUnfinishedOf(job.brandId)).filter((other) => other.id !== job.id);
    if (others.length >= this.settings.maxConcurrentJobs) {
      throw tooManyJobsError(job.brandId, this.settings.maxConcurrentJobs, others.length);
    }
    if (this.settings.maxCodes === null) return;
    // Jobs read before the codes, as in usageOf.
    const stored = await this.inventory.countStored(job.brandId);
    assertCodesFit(
      job.brandId,
      this.settings.maxCodes,
      { stored, pending: pendingOf(others) },
      job.requested,
    );
  }

  /**
   * Codes stored, and codes the brand's unfinished jobs have still to store. The jobs are read
   * first: a chunk that finishes between the two reads is then counted twice (a refusal comes a
   * little early) rather than not at all (which would let a request through over the quota).
   */
  private async usageOf(brandId: string): Promise<CodeUsage> {
    const pending = pendingOf(await this.jobs.findUnfinishedOf(brandId));
    const stored = await this.inventory.countStored(brandId);
    return { stored, pending };
  }
}

/** Codes the jobs have still to store. */
function pendingOf(jobs: readonly JobRecord[]): number {
  return jobs.reduce((sum, job) => sum + Math.max(0, job.requested - job.generated), 0);
}
