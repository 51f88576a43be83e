import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';
import { MAJORITY_WRITE } from '../durability';

/** A campaign's default code format: what its generation uses where a request names none. */
export interface CampaignCodeFormat {
  readonly length?: number;
  readonly prefix?: string;
  readonly alphabet?: string;
}

/**
 * A brand's campaign other than its default one (which is not stored: see CampaignsRepository).
 * Written by the generator, read by the provider for a claim's dates and per-user limit.
 */
@Schema({ collection: 'campaigns', versionKey: false, timestamps: true, writeConcern: MAJORITY_WRITE })
export class Campaign {
  @Prop({ type: String, required: true })
  brandId!: string;

  @Prop({ type: String, required: true })
  campaignId!: string;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: Date })
  startsAt?: Date;

  @Prop({ type: Date })
  endsAt?: Date;

  @Prop(raw({ length: { type: Number }, prefix: { type: String }, alphabet: { type: String } }))
  format?: CampaignCodeFormat;

  @Prop({ type: Number, required: true })
  perUserLimit!: number;

  @Prop({ type: Object })
  metadata?: Record<string, string>;

  createdAt!: Date;
  updatedAt!: Date;
}

export const CampaignSchema = SchemaFactory.createForClass(Campaign);
/** One campaign id per brand; listings page through a brand's campaigns in id order. */
CampaignSchema.index({ brandId: 1, campaignId: 1 }, { unique: true });
