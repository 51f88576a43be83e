import { z } from 'zod';
import { brandIdSchema } from '../identifiers';
import { SUBJECT_PREFIX } from '../subjects';

export const JOB_SUBJECT_PREFIX = `${SUBJECT_PREFIX}.jobs`;

/**
 * The work queue of generation jobs: WorkQueue retention, so a chunk leaves the stream once a
 * generator acknowledged it, and every generator replica pulls from one shared durable consumer.
 * Kept apart from the event stream because its retention differs (facts are kept for replay;
 * work is deleted when done).
 */
export const JOBS_STREAM = {
  name: 'DISCOUNTS_JOBS',
  subjects: [`${JOB_SUBJECT_PREFIX}.>`],
} as const;

export const WORK_SUBJECTS = {
  /** One chunk of a generation job: store exactly `count` new codes tagged with jobId and chunk. */
  generationChunk: `${JOB_SUBJECT_PREFIX}.v1.generation.chunk`,
} as const;

/** The durable pull consumer all generator replicas share. */
export const GENERATION_WORKERS_DURABLE = 'generator-generation-chunks';

export const generationChunkV1Schema = z
  .object({
    jobId: z.uuid(),
    brandId: brandIdSchema,
    chunk: z.number().int().min(0).max(1_000_000),
    count: z.number().int().positive().max(10_000_000),
  })
  .strict();

export type GenerationChunkV1 = z.infer<typeof generationChunkV1Schema>;

/** The JetStream message id of a chunk: a second publish of it (a retry, the supervisor) is dropped. */
export const generationChunkMessageId = (chunk: Pick<GenerationChunkV1, 'jobId' | 'chunk'>): string =>
  `${chunk.jobId}:${chunk.chunk}`;
