import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';
import { MAJORITY_WRITE } from '../durability';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** Statuses a job never leaves. */
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
export const UNFINISHED_JOB_STATUSES: readonly JobStatus[] = ['queued', 'running'];

export interface JobCodeFormat {
  readonly length: number;
  readonly prefix: string;
  readonly alphabet: string;
}

/**
 * A generation job: its progress lives in MongoDB, not in the workers, so any generator replica
 * can take any chunk and a crashed one loses nothing. Finished chunks are documents of their own
 * (generation_job_chunks, one per chunk by _id), not an array pushed into this document: an
 * insert refused by the unique _id is atomic on every MongoDB-wire server, while a
 * read-modify-write of one document from two replicas lost updates on the dev server (FerretDB
 * v1 runs updates as read then write). `generated` and the done chunks are read from there.
 * Written with a journaled majority (MAJORITY_WRITE): a job or chunk record a failover rolled
 * back would make a chunk run twice or a finished job run again.
 */
@Schema({ collection: 'generation_jobs', versionKey: false, writeConcern: MAJORITY_WRITE })
export class GenerationJob {
  /** A UUID: also the batchId of every code the job stores. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  brandId!: string;

  /** The campaign its codes go to; absent for the brand's default campaign (as on its codes). */
  @Prop({ type: String })
  campaignId?: string;

  @Prop({ type: Number, required: true })
  requested!: number;

  @Prop({ type: String, required: true, enum: JOB_STATUSES })
  status!: JobStatus;

  @Prop(raw({ length: { type: Number }, prefix: { type: String }, alphabet: { type: String } }))
  format!: JobCodeFormat;

  /** The code space reserved in the brand document (released in part when the job stops early). */
  @Prop({ type: String, required: true })
  spaceKey!: string;

  @Prop({ type: Date })
  expiresAt?: Date;

  @Prop({ type: Number, required: true })
  chunkSize!: number;

  @Prop({ type: Number, required: true })
  chunkCount!: number;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date })
  startedAt?: Date;

  @Prop({ type: Date })
  finishedAt?: Date;

  /** Last time a chunk finished (or the job was created): the supervisor re-queues stalled jobs. */
  @Prop({ type: Date, required: true })
  progressAt!: Date;

  @Prop({ type: String })
  error?: string;

  /**
   * The outbox of the job's end: set by the very update that completes or fails the job (which
   * only one replica's update can do), removed once the generator's relay made the job.completed
   * or job.failed webhook delivery. Only jobs whose end is pending carry it.
   */
  @Prop({ type: Boolean })
  eventPending?: boolean;
}

export const GenerationJobSchema = SchemaFactory.createForClass(GenerationJob);
/** The supervisor's scan of unfinished jobs; GET by id uses _id. */
GenerationJobSchema.index({ status: 1, progressAt: 1 });
/**
 * A brand's jobs newest first (GET /v1/brands/{brandId}/jobs), _id breaking ties of createdAt so
 * that a page cursor names one position: the whole sort comes from the index, no sort in memory.
 */
GenerationJobSchema.index({ brandId: 1, createdAt: -1, _id: -1 });
/** The relay's scan for jobs whose end is not relayed yet: sparse, as the claim outbox's. */
export const JOB_OUTBOX_INDEX = { eventPending: 1 } as const;
GenerationJobSchema.index(JOB_OUTBOX_INDEX, { sparse: true });
/** A brand's unfinished jobs, read before each generation (BRAND_MAX_CONCURRENT_JOBS, BRAND_MAX_CODES). */
GenerationJobSchema.index({ brandId: 1, status: 1 });
/**
 * The retention sweep: finished jobs by when they finished. Sparse because only finished jobs carry
 * finishedAt. Not a TTL index: see RetentionSweeper in the generator for why the sweep deletes.
 */
GenerationJobSchema.index({ finishedAt: 1 }, { sparse: true });

export const JOB_CHUNK_KINDS = ['done', 'stray'] as const;
export type JobChunkKind = (typeof JOB_CHUNK_KINDS)[number];

/**
 * One chunk of a job that will not run again: `done` (it stored exactly its count) or `stray`
 * (its job stopped while it ran; `count` is what it had stored). The _id `${jobId}:${chunk}`
 * makes recording a chunk happen once, whoever tries it and however often.
 */
@Schema({ collection: 'generation_job_chunks', versionKey: false, writeConcern: MAJORITY_WRITE })
export class GenerationJobChunk {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  jobId!: string;

  @Prop({ type: Number, required: true })
  chunk!: number;

  @Prop({ type: Number, required: true })
  count!: number;

  @Prop({ type: String, required: true, enum: JOB_CHUNK_KINDS })
  kind!: JobChunkKind;

  @Prop({ type: Date, required: true })
  at!: Date;
}

export const GenerationJobChunkSchema = SchemaFactory.createForClass(GenerationJobChunk);
GenerationJobChunkSchema.index({ jobId: 1, chunk: 1 });
