import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import {
  GenerationJob,
  UNFINISHED_JOB_STATUSES,
  type JobCodeFormat,
  type JobStatus,
} from './generation-job.schema';

export interface JobRecord {
  readonly id: string;
  readonly brandId: string;
  readonly requested: number;
  readonly generated: number;
  readonly status: JobStatus;
  readonly format: JobCodeFormat;
  readonly spaceKey: string;
  readonly expiresAt: Date | null;
  readonly chunkSize: number;
  readonly chunkCount: number;
  readonly doneChunks: readonly number[];
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly progressAt: Date;
  readonly error: string | null;
}

export interface NewJob {
  readonly id: string;
  readonly brandId: string;
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
  /** The job was cancelled or failed meanwhile: the chunk's codes were not counted. */
  | { readonly outcome: 'job_finished' };

function toRecord(doc: GenerationJob): JobRecord {
  return {
    id: doc._id,
    brandId: doc.brandId,
    requested: doc.requested,
    generated: doc.generated,
    status: doc.status,
    format: { length: doc.format.length, prefix: doc.format.prefix, alphabet: doc.format.alphabet },
    spaceKey: doc.spaceKey,
    expiresAt: doc.expiresAt ?? null,
    chunkSize: doc.chunkSize,
    chunkCount: doc.chunkCount,
    doneChunks: doc.doneChunks ?? [],
    createdAt: doc.createdAt,
    startedAt: doc.startedAt ?? null,
    finishedAt: doc.finishedAt ?? null,
    progressAt: doc.progressAt,
    error: doc.error ?? null,
  };
}

const unfinished = { $in: [...UNFINISHED_JOB_STATUSES] };

@Injectable()
export class GenerationJobsRepository {
  constructor(@InjectModel(GenerationJob.name) private readonly jobs: Model<GenerationJob>) {}

  async create(job: NewJob): Promise<JobRecord> {
    const { id, ...fields } = job;
    const doc = await this.jobs.create({
      _id: id,
      ...fields,
      generated: 0,
      status: 'queued',
      doneChunks: [],
      progressAt: job.createdAt,
    });
    return toRecord(doc.toObject());
  }

  async findById(id: string): Promise<JobRecord | null> {
    const doc = await this.jobs.findById(id).lean<GenerationJob>().exec();
    return doc ? toRecord(doc) : null;
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
   * Counts a finished chunk once: the filter only matches while the chunk is not recorded and the
   * job is still going, so a redelivered chunk or a second worker on it changes nothing.
   */
  async recordChunkDone(id: string, chunk: number, count: number, at: Date): Promise<ChunkDoneOutcome> {
    const doc = await this.jobs
      .findOneAndUpdate(
        { _id: id, status: unfinished, doneChunks: { $ne: chunk } },
        { $push: { doneChunks: chunk }, $inc: { generated: count }, $set: { progressAt: at } },
        // No projection: FerretDB's findAndModify does not implement "fields".
        { returnDocument: 'after' },
      )
      .lean<GenerationJob>()
      .exec();
    if (doc) return { outcome: 'recorded', job: toRecord(doc) };
    const current = await this.jobs
      .findById(id, { status: 1, doneChunks: 1 })
      .lean<Pick<GenerationJob, 'status' | 'doneChunks'>>()
      .exec();
    if (current?.doneChunks.includes(chunk)) return { outcome: 'already_done' };
    return { outcome: 'job_finished' };
  }

  /**
   * Codes a chunk stored although the job stopped (cancelled or failed) before the chunk was
   * recorded: counted in `generated` so the job tells the truth about what exists. Once per
   * chunk; false when the chunk was already counted.
   */
  async addStrayCodes(id: string, chunk: number, count: number): Promise<boolean> {
    const result = await this.jobs
      .updateOne(
        { _id: id, doneChunks: { $ne: chunk }, strayChunks: { $ne: chunk } },
        { $push: { strayChunks: chunk }, $inc: { generated: count } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** running → completed when every chunk is recorded; false when it already was (or stopped). */
  async markCompleted(id: string, at: Date): Promise<boolean> {
    const result = await this.jobs
      .updateOne(
        { _id: id, status: unfinished },
        { $set: { status: 'completed', finishedAt: at, progressAt: at } },
      )
      .exec();
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
    const doc = await this.jobs
      .findOneAndUpdate(
        { _id: id, status: unfinished },
        { $set: { status, finishedAt: at, ...(error ? { error } : {}) } },
        { returnDocument: 'after' },
      )
      .lean<GenerationJob>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /** Unfinished jobs without progress since `before`, oldest first. */
  async findStalled(before: Date, limit: number): Promise<JobRecord[]> {
    const docs = await this.jobs
      .find({ status: unfinished, progressAt: { $lt: before } })
      .sort({ status: 1, progressAt: 1 })
      .limit(limit)
      .lean<GenerationJob[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Pushes progressAt forward so a re-queued job is not re-queued again at the next look. */
  async touch(id: string, at: Date): Promise<void> {
    await this.jobs.updateOne({ _id: id, status: unfinished }, { $set: { progressAt: at } }).exec();
  }
}
