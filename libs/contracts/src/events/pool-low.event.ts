import { z } from 'zod';
import { brandIdSchema } from '../identifiers';

export const poolLowV1Schema = z
  .object({
    /** Derived from brand and time window (see poolLowEventId), so replicas emit the same id. */
    eventId: z.uuid(),
    type: z.literal('pool.low'),
    version: z.literal(1),
    brandId: brandIdSchema,
    /** Codes still available when the provider counted. */
    available: z.number().int().nonnegative(),
    threshold: z.number().int().positive(),
    detectedAt: z.iso.datetime(),
  })
  .strict();

export type PoolLowV1 = z.infer<typeof poolLowV1Schema>;
