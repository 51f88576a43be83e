import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { errorMessage } from '@app/scheduling';
import type { BucketSpec } from './counter-store';
import { validLockoutState } from './failure-lockout';
import type { KnownLockouts } from './known-lockouts';
import type { NatsKvCounterStore } from './nats-kv-counter-store';
import type { NatsLink } from './spend-exchange';

/** Pause before a watch that ended (NATS restart, lost bucket) is set up again. */
const RESTART_DELAY_MS = 1_000;

/** NatsClient's hook for (re)connections, where there is one. */
export interface ReconnectingLink extends NatsLink {
  onConnected?(listener: () => void): void;
}

/**
 * Brings the other replicas' lockouts into this replica's KnownLockouts as they are written: a
 * watch of each lockout bucket, which starts with the bucket's current states. Lockouts are rare,
 * so every replica watching every write costs little, and it bounds how stale a replica's view
 * is to one NATS delivery while NATS is up.
 */
export class LockoutWatch {
  private readonly logger = new Logger('RateLimits');
  private readonly running = new Map<string, { stop(): void }>();
  private stopped = false;

  constructor(
    private readonly link: ReconnectingLink,
    private readonly store: NatsKvCounterStore,
    private readonly known: KnownLockouts,
    /** Policy name → its bucket. */
    private readonly buckets: ReadonlyMap<string, BucketSpec>,
  ) {}

  start(): void {
    for (const [policy, spec] of this.buckets) void this.keepWatching(policy, spec);
    // After a reconnection the server may be a new one that lost the (memory) bucket: watch anew.
    // The first call is the connection the watches start on (now, or once NATS is up).
    let first = true;
    this.link.onConnected?.(() => {
      if (first) first = false;
      else for (const watch of this.running.values()) watch.stop();
    });
  }

  stop(): void {
    this.stopped = true;
    for (const watch of this.running.values()) watch.stop();
  }

  private async keepWatching(policy: string, spec: BucketSpec): Promise<void> {
    while (!this.stopped) {
      try {
        await this.link.whenConnected();
        if (this.stopped) return;
        const watch = await this.store.watch(spec, (hashed, value) => {
          this.known.noteHashed(policy, hashed, validLockoutState(value)?.lockedUntil ?? 0);
        });
        this.running.set(policy, watch);
        if (this.stopped) watch.stop();
        await watch.done;
      } catch (error) {
        if (!this.stopped) this.logger.warn(`Lockout watch of ${spec.name} ended: ${errorMessage(error)}`);
      } finally {
        this.running.delete(policy);
      }
      if (this.stopped) return;
      // A watch ends on a failure or a reconnection, after which the bucket may be gone with the
      // server's memory: the next round sets it up again instead of reusing the stale handle.
      this.store.forget(spec);
      await sleep(RESTART_DELAY_MS, undefined, { ref: false });
    }
  }
}
