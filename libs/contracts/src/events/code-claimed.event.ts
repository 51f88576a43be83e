import { z } from 'zod';
import { brandIdSchema, userIdSchema } from '../identifiers';

export const codeClaimedV1Schema = z
  .object({
    eventId: z.uuid(),
    type: z.literal('code.claimed'),
    version: z.literal(1),
    brandId: brandIdSchema,
    code: z.string().min(1).max(64),
    userId: userIdSchema,
    claimedAt: z.iso.datetime(),
  })
  .strict();

export type CodeClaimedV1 = z.infer<typeof codeClaimedV1Schema>;
