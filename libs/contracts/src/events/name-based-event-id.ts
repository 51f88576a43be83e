import { createHash } from 'node:crypto';

/**
 * An event id derived from a name (SHA-256, formatted as a version-5-style UUID so that it passes
 * the same `eventId` schema as random ids): whoever derives the id of the same fact gets the same
 * id, so JetStream (message id) and webhook deliveries (delivery id) keep only one of them.
 */
export function nameBasedEventId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
