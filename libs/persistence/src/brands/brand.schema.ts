import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';
import type { WebhookEventType } from '@app/contracts';
import { MAJORITY_WRITE } from '../durability';

export interface WebhookSettings {
  /** Validated against SSRF when set (see the generator's webhook URL policy), checked again per attempt. */
  readonly url: string;
  /**
   * HMAC key for the signatures, sealed by the generator (AES-256-GCM, key id included): signing
   * needs the secret itself, so a hash would not do. It never leaves through the API or the logs.
   */
  readonly secret: string;
  /** Its last four characters, what the API shows of it. */
  readonly secretHint?: string;
  /**
   * The secret a rotation replaced, sealed the same way, still signing (next to the current one)
   * until previousSecretExpiresAt, so receivers can switch without missing a delivery. One is
   * kept; a second rotation ends the first's grace period.
   */
  readonly previousSecret?: string;
  readonly previousSecretHint?: string;
  readonly previousSecretExpiresAt?: Date;
  /**
   * The event types the brand chose to receive, each once; absent for a brand that never chose,
   * which receives DEFAULT_WEBHOOK_EVENT_TYPES (code.claimed, all a webhook received before).
   */
  readonly events?: readonly WebhookEventType[];
  readonly updatedAt: Date;
}

export interface AutoReplenishSettings {
  readonly enabled: boolean;
  /** Codes added per replenishment (default format). */
  readonly count: number;
}

/**
 * Written by the generator; the provider only reads it. Every write waits for a journaled majority
 * (MAJORITY_WRITE): a rotated API key or a changed webhook that a failover rolled back would be
 * a change the brand was told had happened.
 */
@Schema({ collection: 'brands', versionKey: false, timestamps: true, writeConcern: MAJORITY_WRITE })
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

  /** Claim events the generator has received (each counted once): proof the two services talk. */
  @Prop({ type: Number, default: 0 })
  claimedNotified!: number;

  @Prop(
    raw({
      url: { type: String },
      secret: { type: String },
      secretHint: { type: String },
      previousSecret: { type: String },
      previousSecretHint: { type: String },
      previousSecretExpiresAt: { type: Date },
      // No default: a brand that never chose stores none (and gets the default choice).
      events: { type: [String], default: undefined },
      updatedAt: { type: Date },
    }),
  )
  webhook?: WebhookSettings;

  /** The provider emits pool.low when fewer codes than this are available. */
  @Prop({ type: Number })
  poolLowThreshold?: number;

  @Prop(raw({ enabled: { type: Boolean }, count: { type: Number } }))
  autoReplenish?: AutoReplenishSettings;

  /** When the last replenishment started: a short cooldown keeps concurrent triggers from stacking. */
  @Prop({ type: Date })
  lastReplenishAt?: Date;

  /** Id of the last pool.low event acted upon: a redelivered one is recognised and skipped. */
  @Prop({ type: String })
  lastPoolLowEventId?: string;

  /**
   * Set before the brand's first redemption. From then on its stats count redemptions and
   * rollbacks; a brand that never redeems gets the stats it always got, at no extra query.
   */
  @Prop({ type: Date })
  redeemingSince?: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export type BrandDocument = HydratedDocument<Brand>;
export const BrandSchema = SchemaFactory.createForClass(Brand);
