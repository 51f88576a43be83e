import { createHash } from 'node:crypto';

/**
 * The id of "brand X ran low during time window W". Every provider replica that notices the
 * same shortage in the same window derives the same id, so JetStream (message id) and the
 * generator (event id) each keep only one of them. Formatted as a version-5-style UUID so it
 * passes the same `eventId` schema as random ids.
 */
export function poolLowEventId(brandId: string, at: Date, windowMs: number): string {
  const window = Math.floor(at.getTime() / windowMs);
  const hex = createHash('sha256')
    .update(`pool.low\u0000${brandId}\u0000${windowMs}\u0000${window}`)
    .digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
