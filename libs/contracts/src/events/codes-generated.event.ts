import { z } from 'zod';
import { brandIdSchema } from '../identifiers';

export const codesGeneratedV1Schema = z
  .object({
    eventId: z.uuid(),
    type: z.literal('codes.generated'),
    version: z.literal(1),
    brandId: brandIdSchema,
    batchId: z.string().min(1).max(64),
    count: z.number().int().positive(),
    generatedAt: z.iso.datetime(),
  })
  .strict();

export type CodesGeneratedV1 = z.infer<typeof codesGeneratedV1Schema>;
