import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { MAJORITY_WRITE } from '../durability';

/**
 * Users of the predecessor's route, which authenticates with a per-user secret. Owned by the
 * provider. Written with a journaled majority: a secret handed out once must not be rolled back.
 */
@Schema({ collection: 'users', versionKey: false, timestamps: true, writeConcern: MAJORITY_WRITE })
export class User {
  @Prop({ type: String, required: true })
  _id!: string;

  /** A hash (HMAC-SHA-256 under a pepper, or the former scrypt; see @app/auth), never the secret. */
  @Prop({ type: String, required: true })
  secretHash!: string;

  createdAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
