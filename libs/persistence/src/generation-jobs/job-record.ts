import type { Model } from 'mongoose';
import type { GenerationJob, GenerationJobChunk, JobCodeFormat, JobStatus } from './generation-job.schema';

/** A job as it leaves the repositories, and how a stored job and its chunks become one. */

export interface JobRecord {
  readonly id: string;
  readonly brandId: string;
  /** Absent for the brand's default campaign (storedCampaignId of @app/contracts). */
  readonly campaignId?: string;
  readonly requested: number;
  /** Codes of done chunks, plus what chunks stopped by a cancellation or failure had stored. */
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

export type ChunkLean = Pick<GenerationJobChunk, 'chunk' | 'count' | 'kind'>;

export function toRecord(doc: GenerationJob, chunks: readonly ChunkLean[]): JobRecord {
  return {
    id: doc._id,
    brandId: doc.brandId,
    ...(doc.campaignId !== undefined && doc.campaignId !== null ? { campaignId: doc.campaignId } : {}),
    requested: doc.requested,
    generated: chunks.reduce((sum, c) => sum + c.count, 0),
    status: doc.status,
    format: { length: doc.format.length, prefix: doc.format.prefix, alphabet: doc.format.alphabet },
    spaceKey: doc.spaceKey,
    expiresAt: doc.expiresAt ?? null,
    chunkSize: doc.chunkSize,
    chunkCount: doc.chunkCount,
    doneChunks: chunks
      .filter((c) => c.kind === 'done')
      .map((c) => c.chunk)
      .sort((a, b) => a - b),
    createdAt: doc.createdAt,
    startedAt: doc.startedAt ?? null,
    finishedAt: doc.finishedAt ?? null,
    progressAt: doc.progressAt,
    error: doc.error ?? null,
  };
}

/** The job with what its chunks stored, read from the chunk records. */
export async function withChunks(chunks: Model<GenerationJobChunk>, doc: GenerationJob): Promise<JobRecord> {
  const docs = await chunks
    .find({ jobId: doc._id }, { chunk: 1, count: 1, kind: 1 })
    .lean<ChunkLean[]>()
    .exec();
  return toRecord(doc, docs);
}
