import { z } from 'zod';
import { campaignIdSchema, codeOfRedemptionId } from '../campaigns';
import { brandIdSchema, userIdSchema } from '../identifiers';

const redemptionIdSchema = z
  .string()
  .refine((id) => codeOfRedemptionId(id) !== null, { message: 'not a redemption id' });

/** What both bodies say about the redemption: the fields a shop matched its order with. */
const redemptionFields = {
  eventId: z.uuid(),
  version: z.literal(1),
  brandId: brandIdSchema,
  /** `default` for the codes of the brand's default campaign. */
  campaignId: campaignIdSchema,
  code: z.string().min(1).max(64),
  /** The user holding the code (who claimed it). */
  userId: userIdSchema,
  redemptionId: redemptionIdSchema,
  orderId: z.string().min(1).max(128),
  /** As the redemption gave them; absent when it did not. */
  amount: z.number().finite().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  redeemedAt: z.iso.datetime(),
};

/** A claimed code was redeemed with an order (claimed → redeemed). */
export const codeRedeemedWebhookV1Schema = z
  .object({ ...redemptionFields, type: z.literal('code.redeemed') })
  .strict();

export type CodeRedeemedWebhookV1 = z.infer<typeof codeRedeemedWebhookV1Schema>;

/** A redemption was rolled back (a cancelled order): the code is claimed again by the same user. */
export const codeRedemptionRolledBackWebhookV1Schema = z
  .object({
    ...redemptionFields,
    type: z.literal('code.redemption_rolled_back'),
    rolledBackAt: z.iso.datetime(),
  })
  .strict();

export type CodeRedemptionRolledBackWebhookV1 = z.infer<typeof codeRedemptionRolledBackWebhookV1Schema>;
