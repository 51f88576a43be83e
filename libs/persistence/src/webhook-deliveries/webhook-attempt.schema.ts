import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One HTTP attempt of a delivery: an append-only log, listed with the delivery. */
@Schema({ collection: 'webhook_attempts', versionKey: false })
export class WebhookAttempt {
  @Prop({ type: String, required: true })
  deliveryId!: string;

  @Prop({ type: String, required: true })
  brandId!: string;

  /** 1, 2, … over the delivery's whole life (redeliveries continue the count). */
  @Prop({ type: Number, required: true })
  number!: number;

  @Prop({ type: Date, required: true })
  at!: Date;

  @Prop({ type: String, required: true, enum: ['delivered', 'failed'] })
  outcome!: 'delivered' | 'failed';

  @Prop({ type: Number })
  statusCode?: number;

  @Prop({ type: String })
  error?: string;

  @Prop({ type: Number, required: true })
  durationMs!: number;
}

export const WebhookAttemptSchema = SchemaFactory.createForClass(WebhookAttempt);
WebhookAttemptSchema.index({ deliveryId: 1, number: 1 });
