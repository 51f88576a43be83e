import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { MAJORITY_WRITE } from '../durability';
import { isDuplicateKeyError } from '../mongo-errors';
import { PendingEventListeners } from '../pending-event-listeners';
import {
  FINISHED_JOB_STATUSES,
  GenerationJob,
  GenerationJobChunk,
  UNFINISHED_JOB_STATUSES,
  type JobCodeFormat,
  type JobStatus,
} from './generation-job.schema';
import { toRecord, withChunks, type JobRecord } from './job-record';

export interface NewJob {
  readonly id: string;
  readonly brandId: string;
  readonly campaignId?: string;
  readonly requested: number;
  readonly format: JobCodeFormat;
  readonly spaceKey: string;
  readonly expiresAt?: Date;
  readonly chunkSize: number;
  readonly chunkCount: number;
  readonly createdAt: Date;
}

/** What finishing a chunk did. */
export type ChunkDoneOutcome =
  /** This call recorded it; `job` is the job afterwards. */
  | { readonly outcome: 'recorded'; readonly job: JobRecord }
  /** Someone recorded it before (a redelivery, a second worker on the same chunk). */
  | { readonly outcome: 'already_done' }
  /** The job was cancelled or failed meanwhile: the chunk's codes were not counted as done. */
  | { readonly outcome: 'job_finished' };

const unfinished = { $in: [...UNFINISHED_JOB_STATUSES] };
export const jobChunkId = (jobId: string, chunk: number): string => `${jobId}:${chunk}`;

@Injectable()
export class GenerationJobsRepository {
  private readonly pendingListeners = new PendingEventListeners();

  constructor(
    @InjectModel(GenerationJob.name) private readonly jobs: Model<GenerationJob>,
    @InjectModel(GenerationJobChunk.name) private readonly chunks: Model<GenerationJobChunk>,
  ) {}

  async create(job: NewJob): Promise<JobRecord> {
    const { id, ...fields } = job;
    const doc = await this.jobs.create({ _id: id, ...fields, status: 'queued', progressAt: job.createdAt });
    return toRecord(doc.toObject(), []);
  }

  async findById(id: string): Promise<JobRecord | null> {
    const doc = await this.jobs.findById(id).lean<GenerationJob>().exec();
    return doc ? withChunks(this.chunks, doc) : null;
  }

  async statusOf(id: string): Promise<JobStatus | null> {
    const doc = await this.jobs.findById(id, { status: 1 }).lean<Pick<GenerationJob, 'status'>>().exec();
    return doc?.status ?? null;
  }

  /** queued → running, once, when the first chunk starts. */
  async markRunning(id: string, at: Date): Promise<void> {
    await this.jobs
      .updateOne({ _id: id, status: 'queued' }, { $set: { status: 'running', startedAt: at } })
      .exec();
  }

  /**
   * Records a chunk as done, once: the chunk document's _id is unique, so a redelivered chunk or
   * a second worker on it gets already_done and changes nothing.
   */
  async recordChunkDone(id: string, chunk: number, count: number, at: Date): Promise<ChunkDoneOutcome> {
    const status = await this.statusOf(id);
    if (status === null || !UNFINISHED_JOB_STATUSES.includes(status)) {
      const existing = await this.chunks.exists({ _id: jobChunkId(id, chunk), kind: 'done' }).exec();
      return existing ? { outcome: 'already_done' } : { outcome: 'job_finished' };
    }
    if (!(await this.insertChunk(id, chunk, count, 'done', at))) return { outcome: 'already_done' };
    await this.jobs.updateOne({ _id: id }, { $set: { progressAt: at } }).exec();
    const job = await this.findById(id);
    return job ? { outcome: 'recorded', job } : { outcome: 'job_finished' };
  }

  /**
   * Codes a chunk stored although its job stopped (cancelled or failed) before the chunk was
   * done: counted in `generated` so the job tells the truth about what exists. Once per chunk;
   * false when the chunk was already counted (done or stray).
   */
  async addStrayCodes(id: string, chunk: number, count: number): Promise<boolean> {
    return this.insertChunk(id, chunk, count, 'stray', new Date());
  }

  /** Unfinished → completed (its job.completed event pending with it); false when it already was (or stopped). */
  async markCompleted(id: string, at: Date): Promise<boolean> {
    const result = await this.jobs
      .updateOne(
        { _id: id, status: unfinished },
        { $set: { status: 'completed', finishedAt: at, progressAt: at, eventPending: true } },
      )
      .exec();
    if (result.modifiedCount === 1) this.pendingListeners.notify();
    return result.modifiedCount === 1;
  }

  /**
   * Stops an unfinished job (cancelled or failed); resolves the job afterwards, or null when it
   * was already finished (or does not exist).
   */
  async stop(
    id: string,
    status: 'cancelled' | 'failed',
    at: Date,
    error?: string,
  ): Promise<JobRecord | null> {
    const result = await this.jobs
      .updateOne(
        { _id: id, status: unfinished },
        {
          $set: {
            status,
            finishedAt: at,
            ...(error ? { error } : {}),
            // A failure is an event (job.failed); a cancellation is the caller's own doing.
            ...(status === 'failed' ? { eventPending: true } : {}),
          },
        },
      )
      .exec();
    if (result.modifiedCount === 1 && status === 'failed') this.pendingListeners.notify();
    return result.modifiedCount === 1 ? this.findById(id) : null;
  }

  /**
   * Calls `listener` after each write that left a job's end event pending (for the relay, which
   * reads it through GenerationJobEndEventsRepository); returns the unsubscribe.
   */
  onEventPending(listener: () => void): () => void {
    return this.pendingListeners.add(listener);
  }

  /** Unfinished jobs without progress since `before`, oldest first. */
  async findStalled(before: Date, limit: number): Promise<JobRecord[]> {
    const docs = await this.jobs
      .find({ status: unfinished, progressAt: { $lt: before } })
      .sort({ status: 1, progressAt: 1 })
      .limit(limit)
      .lean<GenerationJob[]>()
      .exec();
    return Promise.all(docs.map((doc) => withChunks(this.chunks, doc)));
  }

  /** How many jobs are in each status (the collection holds jobs, not codes: small). */
  async countByStatus(): Promise<Partial<Record<JobStatus, number>>> {
    const rows = await this.jobs
      .aggregate<{ _id: JobStatus; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }])
      .exec();
    return Object.fromEntries(rows.map((row) => [row._id, row.n]));
  }

  /** The brand's queued and running jobs, with what each has stored so far (few: the quota caps them). */
  async findUnfinishedOf(brandId: string): Promise<JobRecord[]> {
    const docs = await this.jobs.find({ brandId, status: unfinished }).lean<GenerationJob[]>().exec();
    return Promise.all(docs.map((doc) => withChunks(this.chunks, doc)));
  }

  async countUnfinishedOf(brandId: string): Promise<number> {
    return this.jobs.countDocuments({ brandId, status: unfinished }).exec();
  }

  /**
   * Deletes a job that was recorded but must not run (a quota check after recording it refused
   * it): only while still queued, before any chunk of it was queued or stored. False when it had
   * moved on meanwhile.
   */
  async withdraw(id: string): Promise<boolean> {
    const result = await this.jobs.deleteOne({ _id: id, status: 'queued' }).exec();
    return result.deletedCount === 1;
  }

  /** Pushes progressAt forward so a re-queued job is not re-queued again at the next look. */
  async touch(id: string, at: Date): Promise<void> {
    await this.jobs.updateOne({ _id: id, status: unfinished }, { $set: { progressAt: at } }).exec();
  }

  /**
   * Deletes up to `limit` jobs that finished (completed, failed or cancelled) before `before`, and
   * their chunk records; resolves how many jobs were selected. Chunks go first, so a sweep
   * interrupted in between leaves jobs the next one selects again, never chunks without a job.
   * Queued and running jobs have no finishedAt and a finished job never runs again, so nothing
   * in progress is touched; a late chunk of a deleted job finds no job and is skipped.
   */
  async deleteFinishedBefore(before: Date, limit: number): Promise<number> {
    const filter = { finishedAt: { $lt: before }, status: { $in: [...FINISHED_JOB_STATUSES] } };
    const docs = await this.jobs.find(filter, { _id: 1 }).limit(limit).lean<Array<{ _id: string }>>().exec();
    if (docs.length === 0) return 0;
    const ids = docs.map((doc) => doc._id);
    await this.chunks.deleteMany({ jobId: { $in: ids } }, { writeConcern: MAJORITY_WRITE }).exec();
    await this.jobs.deleteMany({ _id: { $in: ids }, ...filter }, { writeConcern: MAJORITY_WRITE }).exec();
    return ids.length;
  }

  private async insertChunk(
    id: string,
    chunk: number,
    count: number,
    kind: 'done' | 'stray',
    at: Date,
  ): Promise<boolean> {
    try {
      await this.chunks.create({ _id: jobChunkId(id, chunk), jobId: id, chunk, count, kind, at });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
