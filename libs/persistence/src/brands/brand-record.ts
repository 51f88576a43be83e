import type { AutoReplenishSettings, Brand, WebhookSettings } from './brand.schema';

/** The shapes a brand takes outside the repository, and how a stored document becomes one. */

export interface BrandSettings {
  readonly webhook?: WebhookSettings;
  readonly poolLowThreshold?: number;
  readonly autoReplenish?: AutoReplenishSettings;
}

export interface BrandRecord extends BrandSettings {
  readonly id: string;
  readonly name: string;
  readonly claimedNotified: number;
  /** When the brand started redeeming codes (see the schema). */
  readonly redeemingSince?: Date;
  readonly createdAt: Date;
}

export interface NewBrand extends BrandSettings {
  readonly id: string;
  readonly name: string;
  readonly apiKeyHash: string;
}

/** Which of a brand's keys a hash matched. */
export interface ApiKeyMatch {
  readonly brandId: string;
  /** True for the key a rotation replaced, still inside its grace period. */
  readonly previous: boolean;
}

export interface RotatedApiKey {
  /** The hash of the key the rotation replaced. */
  readonly previousApiKeyHash: string;
  /** When the replaced key stops working. */
  readonly previousKeyExpiresAt: Date;
}

/** A change of a brand's settings: a value sets, null removes, absent leaves alone. */
export interface BrandChanges {
  readonly name?: string;
  readonly webhook?: WebhookSettings | null;
  readonly poolLowThreshold?: number | null;
  readonly autoReplenish?: AutoReplenishSettings | null;
}

export type BrandLean = Pick<
  Brand,
  | '_id'
  | 'name'
  | 'claimedNotified'
  | 'redeemingSince'
  | 'createdAt'
  | 'webhook'
  | 'poolLowThreshold'
  | 'autoReplenish'
>;
export const RECORD_FIELDS = {
  _id: 1,
  name: 1,
  claimedNotified: 1,
  redeemingSince: 1,
  createdAt: 1,
  webhook: 1,
  poolLowThreshold: 1,
  autoReplenish: 1,
} as const;

export const POOL_SETTINGS_FIELDS = { _id: 1, poolLowThreshold: 1, autoReplenish: 1 } as const;

export function toRecord(doc: BrandLean): BrandRecord {
  return {
    id: doc._id,
    name: doc.name,
    claimedNotified: doc.claimedNotified ?? 0,
    ...(doc.redeemingSince ? { redeemingSince: doc.redeemingSince } : {}),
    createdAt: doc.createdAt,
    ...(doc.webhook?.url ? { webhook: doc.webhook } : {}),
    ...(doc.poolLowThreshold !== undefined && doc.poolLowThreshold !== null
      ? { poolLowThreshold: doc.poolLowThreshold }
      : {}),
    ...(doc.autoReplenish ? { autoReplenish: doc.autoReplenish } : {}),
  };
}
