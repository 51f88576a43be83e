import { createHmac, randomBytes } from 'node:crypto';
import { STANDARD_WEBHOOK_SECRET_PREFIX, STANDARD_WEBHOOK_SIGNATURE_VERSION } from '@app/contracts';

/**
 * Base64 as the Standard Webhooks libraries decode a `whsec_` secret: the standard alphabet, whole
 * groups of four, padding only at the end (npm `standardwebhooks` refuses anything else).
 */
const BASE64 = /^(?=.)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Random bytes of a generated secret: the convention asks for 24 to 64. */
const GENERATED_SECRET_BYTES = 32;

/**
 * How a secret keys the HMAC: `whsec` for `whsec_<base64>` (the decoded bytes, what
 * `new Webhook(secret)` does), `raw` for any other secret (its own bytes, what
 * `new Webhook(secret, { format: 'raw' })` does). Secrets chosen before the convention was
 * adopted keep working that way, whatever they look like, `whsec_` ones that are not base64
 * included.
 */
export type WebhookSecretFormat = 'whsec' | 'raw';

export function webhookSecretFormat(secret: string): WebhookSecretFormat {
  return secret.startsWith(STANDARD_WEBHOOK_SECRET_PREFIX) &&
    BASE64.test(secret.slice(STANDARD_WEBHOOK_SECRET_PREFIX.length))
    ? 'whsec'
    : 'raw';
}

/** The HMAC key of a secret (see WebhookSecretFormat). */
export function webhookSigningKey(secret: string): Buffer {
  return webhookSecretFormat(secret) === 'whsec'
    ? Buffer.from(secret.slice(STANDARD_WEBHOOK_SECRET_PREFIX.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

/**
 * The `webhook-signature` header: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>` per
 * secret, space-separated. Several secrets during a rotation's grace period: a receiver holding
 * either the new or the old one finds its signature among them.
 */
export function signStandardWebhook(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  if (secrets.length === 0) throw new Error('a webhook is signed with at least one secret');
  return secrets
    .map((secret) => {
      const mac = createHmac('sha256', webhookSigningKey(secret))
        .update(`${id}.${timestamp}.${body}`)
        .digest('base64');
      return `${STANDARD_WEBHOOK_SIGNATURE_VERSION},${mac}`;
    })
    .join(' ');
}

/** A new `whsec_` secret, for a brand that lets the generator choose one. */
export function generateWebhookSecret(): string {
  return `${STANDARD_WEBHOOK_SECRET_PREFIX}${randomBytes(GENERATED_SECRET_BYTES).toString('base64')}`;
}
