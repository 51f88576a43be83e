import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface AttemptSummary {
  readonly at: Date;
  readonly outcome: 'delivered' | 'failed';
  readonly statusCode?: number;
  /** What went wrong, in our words (timeout, connection refused, HTTP 503…), never the receiver's body. */
  readonly error?: string;
  readonly durationMs: number;
}

/**
 * One event to deliver to one brand's webhook, and where that stands. Written by the generator
 * only. The dispatcher works from this collection, not from JetStream: the claim event is
 * acknowledged once its delivery is stored here, and retries are scheduled with nextAttemptAt.
 */
@Schema({ collection: 'webhook_deliveries', versionKey: false })
export class WebhookDelivery {
  /** The event id: one delivery per event, so a redelivered event finds its delivery already there. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  brandId!: string;

  @Prop({ type: String, required: true })
  eventType!: string;

  /** The webhook body as an object; serialised (and signed) afresh on each attempt. */
  @Prop({ type: Object, required: true })
  payload!: Record<string, unknown>;

  @Prop({ type: String, required: true, enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;

  /** When the next attempt is due (pending), or until when the current attempt holds its lease. */
  @Prop({ type: Date })
  nextAttemptAt?: Date;

  /** Which dispatcher holds the current attempt: a late result of an expired lease is discarded. */
  @Prop({ type: String })
  leaseToken?: string;

  /** Attempts since the delivery (or its last redelivery) started; bounded by WEBHOOK_MAX_ATTEMPTS. */
  @Prop({ type: Number, required: true })
  cycleAttempts!: number;

  @Prop({ type: Number, required: true })
  totalAttempts!: number;

  /** Start of the current cycle: WEBHOOK_MAX_AGE_SECONDS counts from here. */
  @Prop({ type: Date, required: true })
  cycleStartedAt!: Date;

  @Prop(
    raw({
      at: { type: Date },
      outcome: { type: String },
      statusCode: { type: Number },
      error: { type: String },
      durationMs: { type: Number },
    }),
  )
  lastAttempt?: AttemptSummary;

  @Prop({ type: Date })
  deliveredAt?: Date;

  @Prop({ type: Date })
  deadAt?: Date;

  @Prop({ type: String })
  deadReason?: string;

  @Prop({ type: Number, required: true })
  redeliveries!: number;

  /** The consumer span's trace context: the webhook attempt continues the claim's trace. */
  @Prop({ type: Object })
  traceContext?: Record<string, string>;

  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);
/** The dispatcher's scan: due pending deliveries, oldest first. */
WebhookDeliverySchema.index({ status: 1, nextAttemptAt: 1 });
/** A brand's listing, newest first (the _id breaks ties for the cursor). */
WebhookDeliverySchema.index({ brandId: 1, createdAt: -1, _id: -1 });
/**
 * The retention sweep: finished deliveries by when they finished. Sparse because only finished
 * deliveries carry these fields (the dev server ignores sparse and scans, as for every query).
 * Not TTL indexes: see RetentionSweeper in the generator for why the sweep deletes instead.
 */
WebhookDeliverySchema.index({ deliveredAt: 1 }, { sparse: true });
WebhookDeliverySchema.index({ deadAt: 1 }, { sparse: true });
