import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

/** Written by the generator; the provider only reads it. */
@Schema({ collection: 'brands', versionKey: false, timestamps: true })
export class Brand {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  name!: string;

  /** SHA-256 of the API key: keys are 256-bit random, so a fast hash is enough and lookups stay indexable. */
  @Prop({ type: String, required: true, unique: true })
  apiKeyHash!: string;

  /**
   * The key a rotation replaced, hashed the same way, and until when it still works: clients get
   * a grace period to switch. Only one previous key is kept; a second rotation ends the first's.
   */
  @Prop({ type: String, index: true })
  previousApiKeyHash?: string;

  @Prop({ type: Date })
  previousApiKeyExpiresAt?: Date;

  /**
   * Codes reserved per code space (prefix, length, alphabet), keyed by codeFormatKey(). Kept as
   * counters so the 1% capacity rule is checked atomically, without counting codes.
   */
  @Prop({ type: Map, of: Number, default: () => new Map<string, number>() })
  codeSpaces!: Map<string, number>;

  /** Claims the generator has heard about over NATS: proof the two services talk. */
  @Prop({ type: Number, default: 0 })
  claimedNotified!: number;

  createdAt!: Date;
  updatedAt!: Date;
}

export type BrandDocument = HydratedDocument<Brand>;
export const BrandSchema = SchemaFactory.createForClass(Brand);
