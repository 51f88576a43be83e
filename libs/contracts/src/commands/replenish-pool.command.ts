import { z } from 'zod';
import { brandIdSchema } from '../identifiers';

export const replenishPoolRequestV1Schema = z
  .object({
    version: z.literal(1),
    brandId: brandIdSchema,
    /** Why the provider asks: it found no available code for a claim. */
    reason: z.literal('exhausted'),
    requestedAt: z.iso.datetime(),
  })
  .strict();

export const REPLENISH_OUTCOMES = [
  /** `added` codes were stored; the provider retries the claim. */
  'replenished',
  /** The brand has no auto-replenish configured. */
  'not_enabled',
  /**
   * Another replenishment of this brand ran moments ago (elsewhere); nothing added by this one,
   * but codes may have arrived, so a claim is worth trying again.
   */
  'cooldown',
  /** The brand's code space is at its 1% capacity limit. */
  'capacity_exhausted',
  'brand_not_found',
] as const;

export const replenishPoolReplyV1Schema = z
  .object({
    version: z.literal(1),
    brandId: brandIdSchema,
    outcome: z.enum(REPLENISH_OUTCOMES),
    added: z.number().int().nonnegative(),
  })
  .strict();

export type ReplenishPoolRequestV1 = z.infer<typeof replenishPoolRequestV1Schema>;
export type ReplenishPoolReplyV1 = z.infer<typeof replenishPoolReplyV1Schema>;
export type ReplenishOutcome = (typeof REPLENISH_OUTCOMES)[number];
