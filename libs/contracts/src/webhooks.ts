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

/**
 * The Standard Webhooks headers (https://www.standardwebhooks.com), what every webhook request is
 * verified by: receivers use any of the convention's libraries (npm `standardwebhooks` and the
 * others) instead of code of their own.
 */
export const STANDARD_WEBHOOK_HEADERS = {
  /** The event id: the same on every attempt of one event, so receivers drop duplicates by it. */
  id: 'webhook-id',
  /** Unix seconds when this attempt was signed: receivers refuse old ones (replays). */
  timestamp: 'webhook-timestamp',
  /**
   * `v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>`, space-separated when a
   * replaced secret is still in its rotation grace period (one signature per secret).
   */
  signature: 'webhook-signature',
} as const;

/** The Standard Webhooks signature version, and the prefix of the secrets it defines. */
export const STANDARD_WEBHOOK_SIGNATURE_VERSION = 'v1';
export const STANDARD_WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * This service's own headers (lower case, as Node hands them to receivers). Event id, timestamp
 * and signature are deprecated in favour of STANDARD_WEBHOOK_HEADERS and still sent for one
 * release; the attempt number has no standard counterpart and stays.
 */
export const WEBHOOK_HEADERS = {
  /** Deprecated: `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, current secret only. */
  signature: 'x-discounts-signature',
  /** Deprecated (`webhook-timestamp`): Unix seconds when this attempt was signed. */
  timestamp: 'x-discounts-timestamp',
  /** Deprecated (`webhook-id`): the same on every attempt of one event. */
  eventId: 'x-discounts-event-id',
  /** 1 for the first attempt, then 2, 3, … (informational). */
  attempt: 'x-discounts-delivery-attempt',
} as const;

/** Version of the deprecated X-Discounts-Signature scheme. */
export const WEBHOOK_SIGNATURE_VERSION = 'v1';
