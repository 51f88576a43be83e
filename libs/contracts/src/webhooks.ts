import { z } from 'zod';
import type { CodeClaimedV1 } from './events';
import { brandIdSchema, userIdSchema } from './identifiers';

/**
 * What a brand's webhook receives: the public contract with brands, versioned like the NATS
 * payloads but mapped field by field from them, so an internal event can grow without leaking.
 */
export const codeClaimedWebhookV1Schema = z
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

export type CodeClaimedWebhookV1 = z.infer<typeof codeClaimedWebhookV1Schema>;

export function codeClaimedWebhook(event: CodeClaimedV1): CodeClaimedWebhookV1 {
  return {
    eventId: event.eventId,
    type: 'code.claimed',
    version: 1,
    brandId: event.brandId,
    code: event.code,
    userId: event.userId,
    claimedAt: event.claimedAt,
  };
}

/** Headers of every webhook request (lower case, as Node hands them to receivers). */
export const WEBHOOK_HEADERS = {
  /** `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>` */
  signature: 'x-discounts-signature',
  /** Unix seconds when this attempt was signed: receivers refuse old ones (replays). */
  timestamp: 'x-discounts-timestamp',
  /** The same on every attempt of one event: receivers drop duplicates by it. */
  eventId: 'x-discounts-event-id',
  /** 1 for the first attempt, then 2, 3, … (informational). */
  attempt: 'x-discounts-delivery-attempt',
} as const;

export const WEBHOOK_SIGNATURE_VERSION = 'v1';
