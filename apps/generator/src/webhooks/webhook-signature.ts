import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_SIGNATURE_VERSION } from '@app/contracts';

/**
 * `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. The timestamp is inside the MAC so a
 * captured request cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `${WEBHOOK_SIGNATURE_VERSION}=${mac}`;
}

/**
 * What a receiver does (and what the README shows): recompute, compare in constant time, and
 * refuse timestamps outside the tolerance. Kept here so the scheme is tested both ways.
 */
export function verifyWebhookSignature(
  secret: string,
  header: { signature: string; timestamp: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!/^\d{1,12}$/.test(header.timestamp)) return false;
  const timestamp = Number(header.timestamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(header.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
