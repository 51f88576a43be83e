import { randomFillSync } from 'node:crypto';
import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * `expired`: never claimed and past its expiry, moved out of `available` by the generator's
 * retention sweeper so that claims (which look for `available` in BRAND_STATUS_INDEX) stop
 * meeting it. Until the sweeper gets to it, an available code past its expiry is expired all the
 * same: every read filters on expiresAt too.
 * `redeemed`: a claimed code used with an order (a rollback returns it to `claimed`).
 */
export const CODE_STATUSES = ['available', 'claimed', 'expired', 'redeemed'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

export const CODES_COLLECTION = 'codes';

/**
 * Claims pick a random point in [0, SLOT_RANGE) and take the first available code at or after it,
 * so concurrent claims for one brand spread over the brand's codes instead of all racing for the
 * same first document (on MongoDB that race is a write conflict and a retry per loser).
 */
export const SLOT_RANGE = 2 ** 31;

/** Holder of a code nobody has claimed yet: '#' can appear in neither user ids nor codes. */
export const unclaimedHolder = (code: string): string => `#${code}`;

/** A new code of a brand, as generated or imported. */
export interface NewCode {
  readonly brandId: string;
  /** Absent for the brand's default campaign (storedCampaignId of @app/contracts). */
  readonly campaignId?: string;
  readonly code: string;
  readonly batchId: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  /** The generation job's chunk that made it. */
  readonly chunk?: number;
}

/**
 * New codes as stored, nobody's yet, each at a random slot: the one shape of every insert of
 * codes (generation, import, and the benchmarks' seeding).
 */
export function availableCodes(codes: readonly NewCode[]) {
  // Uniform in [0, SLOT_RANGE): one random 32-bit word per code, top bit dropped.
  const slots = randomFillSync(new Uint32Array(codes.length));
  return codes.map(({ expiresAt, chunk, campaignId, ...code }, i) => ({
    ...code,
    ...(campaignId !== undefined ? { campaignId } : {}),
    status: 'available' as const,
    slot: slots[i]! % SLOT_RANGE,
    holder: unclaimedHolder(code.code),
    ...(expiresAt ? { expiresAt } : {}),
    ...(chunk !== undefined ? { chunk } : {}),
  }));
}

/** The redemption a redeemed code carries; kept, with rolledBackAt, once it is rolled back. */
export interface CodeRedemption {
  /** newRedemptionId of @app/contracts: it names the code. */
  readonly id: string;
  readonly orderId: string;
  readonly userId?: string;
  readonly amount?: number;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly redeemedAt: Date;
  readonly rolledBackAt?: Date;
}

/** The event types a code's life after its claim records in its lifecycleEvents outbox. */
export type CodeLifecycleEventType = 'code.redeemed' | 'code.redemption_rolled_back';

/**
 * One pending event of a code's life after its claim, as the write that made it stored it (keyed
 * by its event id in lifecycleEvents): the redemption as it was right then.
 */
export interface CodeLifecycleEvent {
  readonly type: CodeLifecycleEventType;
  readonly redemption: CodeRedemption;
}

/**
 * One discount code. The collection is meant to be sharded on { brandId, ... }: every query
 * below starts with brandId so a claim touches one shard.
 */
@Schema({ collection: CODES_COLLECTION, versionKey: false })
export class Code {
  @Prop({ type: String, required: true })
  brandId!: string;

  /** The campaign; absent for the brand's default campaign, which every code before campaigns is in. */
  @Prop({ type: String })
  campaignId?: string;

  @Prop({ type: String, required: true })
  code!: string;

  @Prop({ type: String, required: true, enum: CODE_STATUSES })
  status!: CodeStatus;

  @Prop({ type: Number, required: true })
  slot!: number;

  /**
   * unclaimedHolder(code) while available, the user id once claimed. Unique per brand, so a
   * user can never hold two codes of one brand even when their claims race: the loser's update
   * fails with a duplicate key and changes nothing. (A partial unique index on claimedBy would say
   * the same on MongoDB, but the dev server, FerretDB, has no partial indexes.) In a campaign other
   * than the default one, a holder is one of the user's claim tickets (claimTicket): a user holds
   * at most the campaign's perUserLimit codes of it, however many claims race.
   */
  @Prop({ type: String, required: true })
  holder!: string;

  @Prop({ type: String })
  claimedBy?: string;

  @Prop({ type: Date })
  claimedAt?: Date;

  /** The inline batch or the generation job (its id) that stored the code. */
  @Prop({ type: String, required: true })
  batchId!: string;

  /** Which chunk of its generation job stored the code (absent for inline batches). */
  @Prop({ type: Number })
  chunk?: number;

  @Prop({ type: Date })
  expiresAt?: Date;

  /** The latest redemption: set with status `redeemed` in one write, rolledBackAt set by a rollback. */
  @Prop(
    raw({
      id: { type: String },
      orderId: { type: String },
      userId: { type: String },
      amount: { type: Number },
      metadata: { type: Object },
      redeemedAt: { type: Date },
      rolledBackAt: { type: Date },
    }),
  )
  redemption?: CodeRedemption;

  /** Redemptions rolled back, with rolledBackAt: a repeated rollback is answered from here. */
  @Prop({ type: [Object], default: undefined })
  rolledBack?: CodeRedemption[];

  /** How many redemptions of this code were rolled back (the stats sum it). */
  @Prop({ type: Number })
  rollbacks?: number;

  /** Id of the code.claimed event, fixed at claim time so every publish attempt reuses it. */
  @Prop({ type: String })
  eventId?: string;

  /**
   * The outbox: true from the claim until JetStream acknowledged its event, then removed. Only
   * pending claims carry the field, so the sparse index on it stays as small as the backlog.
   */
  @Prop({ type: Boolean })
  eventPending?: boolean;

  /** When JetStream acknowledged the claim's event. */
  @Prop({ type: Date })
  eventPublishedAt?: Date;

  /** W3C trace context of the claim, so an event published later still joins the claim's trace. */
  @Prop({ type: Object })
  traceContext?: Record<string, string>;

  /**
   * The outbox of the code's life after its claim: each redemption and rollback adds its event
   * here, keyed by the event id, in the very update that changes the status, and the generator's
   * relay turns the events into webhook deliveries and removes them. Not `eventPending`: that is
   * the claim's outbox, which the provider relays to JetStream as code.claimed.
   */
  @Prop({ type: Object })
  lifecycleEvents?: Record<string, CodeLifecycleEvent>;

  /** True from such a write until the relay emptied lifecycleEvents: only those codes are indexed. */
  @Prop({ type: Boolean })
  lifecycleEventsPending?: boolean;

  /** Set by the generator when it counted this claim's event (claimedNotified): counts once. */
  @Prop({ type: Date })
  claimNotifiedAt?: Date;

  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

export const CodeSchema = SchemaFactory.createForClass(Code);
/** One code per brand; also what counts a brand's codes (stats, BRAND_MAX_CODES) without reading one. */
export const BRAND_CODE_INDEX = { brandId: 1, code: 1 } as const;
CodeSchema.index(BRAND_CODE_INDEX, { unique: true });
CodeSchema.index({ brandId: 1, holder: 1 }, { unique: true });
/**
 * Claims (a random slot among a campaign's available codes: the default campaign's codes have no
 * campaignId, which the index keeps as null); the stats count a status of the brand, or of one
 * campaign, with it. Status before campaign, so that both counts are an equality prefix.
 */
export const BRAND_STATUS_INDEX = { brandId: 1, status: 1, campaignId: 1, slot: 1 } as const;
CodeSchema.index(BRAND_STATUS_INDEX);
/** Listing and export page through a brand in _id order: without it each page scans the brand. */
CodeSchema.index({ brandId: 1, _id: 1 });
/** A job chunk's codes: counted (and trimmed) when a chunk is redelivered, and exported in order. */
CodeSchema.index({ brandId: 1, batchId: 1, chunk: 1 });
/**
 * The outbox relay's scan, across brands, oldest first. Not prefixed by brandId: on a sharded
 * cluster it is a scatter-gather query, but one per relay interval, not one per request.
 */
export const OUTBOX_INDEX = { eventPending: 1, claimedAt: 1 } as const;
CodeSchema.index(OUTBOX_INDEX, { sparse: true });
/**
 * The lifecycle-event relay's scan across brands, as OUTBOX_INDEX is the claim outbox's: sparse,
 * so it holds the codes with pending lifecycle events only, and claims never write it.
 */
export const LIFECYCLE_OUTBOX_INDEX = { lifecycleEventsPending: 1 } as const;
CodeSchema.index(LIFECYCLE_OUTBOX_INDEX, { sparse: true });
/**
 * The expiry sweep's scan across brands (available codes past their expiry, and expired ones past
 * their retention): exactly its targets, instead of every code with an expiry. It costs one more
 * key change per claim (status is in it); a sparse { expiresAt } index would cost claims nothing,
 * but each sweep would then re-read every claimed code whose expiry has passed, forever.
 */
export const EXPIRY_INDEX = { status: 1, expiresAt: 1 } as const;
CodeSchema.index(EXPIRY_INDEX);
