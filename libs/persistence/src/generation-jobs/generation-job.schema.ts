import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';

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
 * A generation job: its progress lives here, not in the workers, so any generator replica can
 * take any chunk and a crashed one loses nothing. `doneChunks` makes finishing a chunk
 * idempotent: the update that adds a chunk's codes to `generated` only matches while the chunk
 * is not in the list yet.
 */
@Schema({ collection: 'generation_jobs', versionKey: false })
export class GenerationJob {
  /** A UUID: also the batchId of every code the job stores. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  brandId!: string;

  @Prop({ type: Number, required: true })
  requested!: number;

  /** Codes of finished chunks (and of chunks stopped by a cancellation). */
  @Prop({ type: Number, required: true })
  generated!: number;

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

  @Prop({ type: [Number], required: true })
  doneChunks!: number[];

  /** Chunks stopped by a cancellation or failure whose stored codes were added to `generated`. */
  @Prop({ type: [Number] })
  strayChunks?: number[];

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
}

export const GenerationJobSchema = SchemaFactory.createForClass(GenerationJob);
/** The supervisor's scan of unfinished jobs; GET by id uses _id. */
GenerationJobSchema.index({ status: 1, progressAt: 1 });
GenerationJobSchema.index({ brandId: 1, createdAt: -1 });
