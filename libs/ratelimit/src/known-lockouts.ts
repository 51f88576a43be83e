import { hashedKey } from './hashed-key';

/** Default cap of remembered lockouts; beyond it the least recently noted go first. */
export const DEFAULT_MAX_KNOWN_LOCKOUTS = 100_000;

/**
 * The lockouts this replica knows of, so that a valid credential costs no round trip to the shared
 * store: a lockout is rare, and a key with none is looked up in an (almost always empty) map.
 * Fed by this replica's own reads and writes of the shared store and by its watch of the other
 * replicas' writes (LockoutWatch); keys are hashed as in the store.
 */
export class KnownLockouts {
  /** `policy \0 hashed key` → locked until (ms). */
  private readonly locks = new Map<string, number>();

  constructor(
    private readonly maxEntries = DEFAULT_MAX_KNOWN_LOCKOUTS,
    private readonly clock: () => number = Date.now,
    /** Called when a key this replica did not know to be locked out becomes so (metrics). */
    private readonly onLearned?: (policy: string) => void,
  ) {}

  get size(): number {
    return this.locks.size;
  }

  /** How long `key` stays locked out under `policy` as far as this replica knows (0: it is not). */
  retryAfterMs(policy: string, key: string): number {
    if (this.locks.size === 0) return 0;
    return this.retryAfterMsOfHashed(policy, hashedKey(key));
  }

  retryAfterMsOfHashed(policy: string, hashed: string): number {
    const id = `${policy}\u0000${hashed}`;
    const until = this.locks.get(id);
    if (until === undefined) return 0;
    const left = until - this.clock();
    if (left > 0) return left;
    this.locks.delete(id);
    return 0;
  }

  /** The key's state as last read or written: locked until `lockedUntil` (0 or past: not locked). */
  note(policy: string, key: string, lockedUntil: number): void {
    this.noteHashed(policy, hashedKey(key), lockedUntil);
  }

  noteHashed(policy: string, hashed: string, lockedUntil: number): void {
    const id = `${policy}\u0000${hashed}`;
    const now = this.clock();
    const knownUntil = this.locks.get(id);
    this.locks.delete(id);
    if (lockedUntil <= now) return;
    if (knownUntil === undefined || knownUntil <= now) this.onLearned?.(policy);
    this.locks.set(id, lockedUntil);
    if (this.locks.size > this.maxEntries) this.locks.delete(this.locks.keys().next().value!);
  }
}
