import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { GenerationJob, GenerationJobChunk, type JobStatus } from './generation-job.schema';
import { toRecord, type ChunkLean, type JobRecord } from './job-record';

/** A page of a brand's jobs, newest first. */
export interface JobListPage {
  readonly status?: JobStatus;
  readonly limit: number;
  /** The previous page's last job: the listing continues strictly after it. */
  readonly after?: { readonly createdAt: Date; readonly id: string };
}

/** A brand's jobs as its listing pages through them (GET /v1/brands/{brandId}/jobs). */
@Injectable()
export class GenerationJobListingRepository {
  constructor(
    @InjectModel(GenerationJob.name) private readonly jobs: Model<GenerationJob>,
    @InjectModel(GenerationJobChunk.name) private readonly chunks: Model<GenerationJobChunk>,
  ) {}

  /** A page of the brand's jobs, newest first (ties by id), each with its chunks read in one query. */
  async listOf(brandId: string, page: JobListPage): Promise<JobRecord[]> {
    const after = page.after
      ? {
          $or: [
            { createdAt: { $lt: page.after.createdAt } },
            { createdAt: page.after.createdAt, _id: { $lt: page.after.id } },
          ],
        }
      : {};
    const docs = await this.jobs
      .find({ brandId, ...(page.status ? { status: page.status } : {}), ...after })
      .sort({ brandId: 1, createdAt: -1, _id: -1 })
      .limit(page.limit)
      .lean<GenerationJob[]>()
      .exec();
    if (docs.length === 0) return [];
    const chunks = await this.chunks
      .find({ jobId: { $in: docs.map((doc) => doc._id) } }, { jobId: 1, chunk: 1, count: 1, kind: 1 })
      .lean<Array<ChunkLean & { jobId: string }>>()
      .exec();
    const chunksOf = new Map<string, ChunkLean[]>();
    for (const chunk of chunks) {
      const ofJob = chunksOf.get(chunk.jobId);
      if (ofJob) ofJob.push(chunk);
      else chunksOf.set(chunk.jobId, [chunk]);
    }
    return docs.map((doc) => toRecord(doc, chunksOf.get(doc._id) ?? []));
  }
}
