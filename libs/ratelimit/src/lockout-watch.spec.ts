import { Logger } from '@nestjs/common';
import { JSONCodec, type NatsConnection } from 'nats';
import { hashedKey } from './hashed-key';
import { KnownLockouts } from './known-lockouts';
import { LockoutWatch } from './lockout-watch';
import { DEFAULT_BUCKET_MAX_BYTES, NatsKvCounterStore } from './nats-kv-counter-store';

const SPEC = { name: 'watch-spec-ip', ttlMs: 60_000 };

/** A KV watch: delivers `entries`, then waits until stopped. */
function updatesOf(entries: ReadonlyArray<{ key: string; operation: 'PUT'; value: Uint8Array }>) {
  let stopped!: () => void;
  const whenStopped = new Promise<void>((resolve) => (stopped = resolve));
  return {
    stop: () => stopped(),
    async *[Symbol.asyncIterator]() {
      yield* entries;
      await whenStopped;
    },
  };
}

/** A KV handle as js.views.kv returns it; `watch` decides what its watch does. */
function kvHandle(watch: () => Promise<unknown>) {
  return {
    watch: jest.fn(watch),
    status: () =>
      Promise.resolve({
        ttl: SPEC.ttlMs,
        streamInfo: { config: { name: `KV_${SPEC.name}`, max_bytes: DEFAULT_BUCKET_MAX_BYTES } },
      }),
  };
}

describe('LockoutWatch after NATS lost the bucket', () => {
  let watch: LockoutWatch | undefined;

  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => {
    watch?.stop();
    jest.restoreAllMocks();
  });

  it('sets the bucket up again instead of watching through the stale handle forever', async () => {
    const lockedUntil = Date.now() + 30_000;
    const entry = {
      key: hashedKey('10.0.0.9'),
      operation: 'PUT' as const,
      value: JSONCodec().encode({ failures: 0, strikes: 1, lastFailureAt: Date.now(), lockedUntil }),
    };
    // The cached handle's stream is gone (a NATS restart dropped it): its watch fails every time.
    const stale = kvHandle(() => Promise.reject(new Error('stream not found')));
    const fresh = kvHandle(() => Promise.resolve(updatesOf([entry])));
    const kv = jest.fn().mockResolvedValueOnce(stale).mockResolvedValue(fresh);
    const connection = { jetstream: () => ({ views: { kv } }) } as unknown as NatsConnection;
    const store = new NatsKvCounterStore(() => connection, { timeoutMs: 500, maxAttempts: 3 });
    const forget = jest.spyOn(store, 'forget');
    const known = new KnownLockouts();
    const link = { current: () => connection, whenConnected: () => Promise.resolve(connection) };
    watch = new LockoutWatch(link, store, known, new Map([['ip', SPEC]]));

    watch.start();
    const deadline = Date.now() + 5_000;
    while (known.retryAfterMs('ip', '10.0.0.9') === 0) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(forget).toHaveBeenCalledWith(SPEC);
    expect(kv).toHaveBeenCalledTimes(2);
    expect(stale.watch).toHaveBeenCalledTimes(1);
    expect(fresh.watch).toHaveBeenCalledTimes(1);
  });
});
