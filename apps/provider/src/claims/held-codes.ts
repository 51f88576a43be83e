import type { ClaimedCode } from '@app/persistence';
import { PromiseCache } from '@app/scheduling';

/**
 * How long a replica answers a repeat claim from memory. Nothing changes a claimed code (it stays
 * the user's even when the user is removed; expiry and retention touch unclaimed codes only), so
 * the bound is there for memory and for whatever may one day change that, not for staleness today.
 */
const HELD_CODE_TTL_MS = 60_000;
/** About 300 bytes each: at most ~15 MB per replica. */
const HELD_CODE_MAX_ENTRIES = 50_000;

/**
 * Codes users hold, as this replica claimed them or read them with readConcern majority: a flash
 * sale's repeat callers (the refresh button) are answered without a database round trip.
 */
export class HeldCodes {
  private readonly codes = new PromiseCache<ClaimedCode>({
    ttlMs: HELD_CODE_TTL_MS,
    maxEntries: HELD_CODE_MAX_ENTRIES,
  });

  of(brandId: string, userId: string): Promise<ClaimedCode> | undefined {
    return this.codes.peek(keyOf(brandId, userId));
  }

  remember(code: ClaimedCode): void {
    this.codes.set(keyOf(code.brandId, code.userId), code);
  }
}

/** Ids never contain a NUL. */
const keyOf = (brandId: string, userId: string) => `${brandId}\u0000${userId}`;
