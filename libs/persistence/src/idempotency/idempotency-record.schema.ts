import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { MAJORITY_WRITE } from '../durability';

/** The first answer to a request, sealed under its Idempotency-Key (see @app/http). */
export interface StoredAnswer {
  readonly status: number;
  /** Headers and body, encrypted with a key derived from the Idempotency-Key, which is not stored. */
  readonly sealed: string;
}

/**
 * One Idempotency-Key of one caller, shared by both apps (the id includes the service). Written
 * with a journaled majority: a record rolled back by a failover would let a retry do the work twice.
 */
@Schema({ collection: 'idempotency_keys', versionKey: false, writeConcern: MAJORITY_WRITE })
export class IdempotencyRecord {
  /** A hash of service, caller and key: the key itself is never stored. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** A hash of method, path and body: the same key for another request is refused. */
  @Prop({ type: String, required: true })
  fingerprint!: string;

  /** Set while the first request runs; the request holding the lock completes or releases it. */
  @Prop({ type: String })
  lockToken?: string;

  /** A lock held past this (its process died, or storing the answer failed) may be taken over. */
  @Prop({ type: Date })
  lockedUntil?: Date;

  @Prop({ type: Object })
  answer?: StoredAnswer;

  /** Gone from then on: reads treat it as absent, and IdempotencySweeper deletes it. */
  @Prop({ type: Date, required: true })
  expiresAt!: Date;
}

export const IdempotencyRecordSchema = SchemaFactory.createForClass(IdempotencyRecord);
/**
 * The sweep's index. Not a TTL index: FerretDB v1, the dev and test server, refuses
 * `expireAfterSeconds` ("not implemented yet", so the app would not start), as RetentionSweeper
 * in the generator explains; expired records are deleted by a sweep on both servers instead.
 */
IdempotencyRecordSchema.index({ expiresAt: 1 });
