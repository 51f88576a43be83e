import { createHash } from 'node:crypto';

/**
 * Keys are user ids, client IPs and the like: hashed, so any key fits the KV key alphabet (an IPv6
 * address has colons) and neither the buckets nor the replicas' batches list who called.
 */
export function hashedKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}
