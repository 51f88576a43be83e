import { z } from 'zod';
import { brandIdSchema } from '../identifiers';
import { WEBHOOK_TEST_EVENT_TYPE } from './event-types';

/** What `POST /v1/brands/{brandId}/webhook/test` sends: signed like every event, about nothing. */
export const webhookTestV1Schema = z
  .object({
    eventId: z.uuid(),
    type: z.literal(WEBHOOK_TEST_EVENT_TYPE),
    version: z.literal(1),
    brandId: brandIdSchema,
    sentAt: z.iso.datetime(),
  })
  .strict();

export type WebhookTestV1 = z.infer<typeof webhookTestV1Schema>;
