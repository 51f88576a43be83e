import { z } from 'zod';
import type { PoolLowV1 } from '../events';
import { brandIdSchema } from '../identifiers';

/** Fewer of the brand's codes are available than its poolLowThreshold (at most one per brand per window). */
export const poolLowWebhookV1Schema = z
  .object({
    eventId: z.uuid(),
    type: z.literal('pool.low'),
    version: z.literal(1),
    brandId: brandIdSchema,
    /** Codes still available when the shortage was noticed. */
    available: z.number().int().nonnegative(),
    threshold: z.number().int().positive(),
    detectedAt: z.iso.datetime(),
  })
  .strict();

export type PoolLowWebhookV1 = z.infer<typeof poolLowWebhookV1Schema>;

/** Mapped field by field from the event between the apps, so that one can grow without leaking. */
export function poolLowWebhook(event: PoolLowV1): PoolLowWebhookV1 {
  return {
    eventId: event.eventId,
    type: 'pool.low',
    version: 1,
    brandId: event.brandId,
    available: event.available,
    threshold: event.threshold,
    detectedAt: event.detectedAt,
  };
}
