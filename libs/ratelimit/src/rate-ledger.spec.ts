import fc from 'fast-check';
import { hashedKey } from './hashed-key';
import { RateLedger } from './rate-ledger';
import { takeToken, type BucketState, type RatePolicy } from './token-bucket';

const T0 = 1_700_000_000_000;

/** Replicas of one service in one test: a shared clock, and sync() stands in for the exchange. */
function replicas(count: number, policies: Record<string, RatePolicy | null>, maxKeys?: number) {
  let now = T0;
  const ledgers = Array.from(
    { length: count },
    () => new RateLedger(policies, { clock: () => now, maxKeys }),
  );
  return {
    ledgers,
    at: (time: number) => {
      now = time;
    },
    /** Every replica sends what it admitted; every other replica applies it. */
    sync: () => {
      const drained = ledgers.map((ledger) => ledger.drain());
      ledgers.forEach((ledger, i) => drained.forEach((spends, j) => i !== j && ledger.receive(spends)));
    },
  };
}

const allowed = (ledger: RateLedger, policy: string, key: string) => ledger.take(policy, key)?.allowed;

describe('RateLedger', () => {
  it('decides exactly as the GCRA when one replica serves a key', () => {
    const policy = { limit: 5, windowMs: 10_000 };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 100 }), (offsets) => {
        const { ledgers, at } = replicas(1, { p: policy });
        let state: BucketState | undefined;
        for (const t of offsets.map((o) => T0 + o).sort((a, b) => a - b)) {
          at(t);
          const expected = takeToken(state, t, policy);
          state = expected.next ?? state;
          expect(allowed(ledgers[0]!, 'p', 'k')).toBe(expected.decision.allowed);
        }
      }),
    );
  });

  it('hands out what it admitted, by hashed key, once', () => {
    const { ledgers, at } = replicas(1, { p: { limit: 10, windowMs: 60_000 }, off: null });
    const [ledger] = ledgers as [RateLedger];
    ledger.take('p', 'alice');
    at(T0 + 5);
    ledger.take('p', 'alice');
    ledger.take('p', 'bob');
    expect(ledger.take('off', 'alice')).toBeUndefined();
    expect(ledger.unsharedCount).toBe(2);
    expect(ledger.drain()).toEqual([
      { policy: 'p', key: hashedKey('alice'), count: 2, lastAt: T0 + 5 },
      { policy: 'p', key: hashedKey('bob'), count: 1, lastAt: T0 + 5 },
    ]);
    expect(ledger.drain()).toEqual([]);
  });

  it('counts what the other replicas admitted once their batch arrives', () => {
    const { ledgers, sync } = replicas(2, { p: { limit: 3, windowMs: 60_000 } });
    const [a, b] = ledgers as [RateLedger, RateLedger];
    expect([allowed(a, 'p', 'u'), allowed(a, 'p', 'u')]).toEqual([true, true]);
    sync();
    expect([allowed(b, 'p', 'u'), allowed(b, 'p', 'u')]).toEqual([true, false]);
    sync();
    expect(allowed(a, 'p', 'u')).toBe(false);
    // Other keys are untouched.
    expect(allowed(b, 'p', 'v')).toBe(true);
  });

  it('admits at most R × limit in a burst before any sync, each replica stopping at the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 20 }), (count, limit) => {
        const { ledgers } = replicas(count, { p: { limit, windowMs: 60_000 } });
        let admitted = 0;
        for (let round = 0; round < limit + 2; round++) {
          for (const ledger of ledgers) if (allowed(ledger, 'p', 'hot')) admitted++;
        }
        expect(admitted).toBe(count * limit);
      }),
    );
  });

  it('admits exactly the limit across replicas that sync after every request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 20 }), (count, limit) => {
        const { ledgers, sync } = replicas(count, { p: { limit, windowMs: 60_000 } });
        let admitted = 0;
        for (let round = 0; round < limit + 2; round++) {
          for (const ledger of ledgers) {
            if (allowed(ledger, 'p', 'hot')) admitted++;
            sync();
          }
        }
        expect(admitted).toBe(limit);
      }),
    );
  });

  it('keeps the excess to what the others admitted within one sync interval', () => {
    const policy = { limit: 4, windowMs: 20_000 };
    const interval = policy.windowMs / policy.limit;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3 }),
        fc.array(fc.record({ replica: fc.nat(2), offset: fc.integer({ min: 0, max: 60_000 }) }), {
          minLength: 100,
          maxLength: 200,
        }),
        fc.integer({ min: 50, max: 2_000 }),
        (count, requests, syncMs) => {
          const { ledgers, at, sync } = replicas(count, { p: policy });
          const admittedAt: number[] = [];
          let lastSync = T0;
          for (const { replica, offset } of [...requests].sort((x, y) => x.offset - y.offset)) {
            const t = T0 + offset;
            // The exchange's timer: every syncMs, whatever the requests do.
            while (lastSync + syncMs <= t) {
              lastSync += syncMs;
              at(lastSync);
              sync();
            }
            at(t);
            if (allowed(ledgers[replica % count]!, 'p', 'k')) admittedAt.push(t);
          }
          // The GCRA bound over any stretch, plus (R − 1) bursts at most: each replica stops at
          // the full limit on its own, and what it admitted counts everywhere after one sync.
          for (let i = 0; i < admittedAt.length; i++) {
            for (let j = i; j < admittedAt.length; j++) {
              const stretch = admittedAt[j]! - admittedAt[i]!;
              const bound = policy.limit + Math.floor(stretch / interval) + (count - 1) * policy.limit;
              expect(j - i + 1).toBeLessThanOrEqual(bound);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('ignores batches of policies it does not have, and spends older than a state matters', () => {
    const { ledgers, at } = replicas(1, { p: { limit: 1, windowMs: 1_000 } });
    const [ledger] = ledgers as [RateLedger];
    at(T0 + 10_000);
    ledger.receive([
      { policy: 'other', key: hashedKey('u'), count: 5, lastAt: T0 + 10_000 },
      { policy: 'p', key: hashedKey('u'), count: 5, lastAt: T0 },
    ]);
    expect(allowed(ledger, 'p', 'u')).toBe(true);
  });

  it('does not let a sender clock ahead of ours push a key into the future', () => {
    const { ledgers } = replicas(1, { p: { limit: 2, windowMs: 1_000 } });
    const [ledger] = ledgers as [RateLedger];
    ledger.receive([{ policy: 'p', key: hashedKey('u'), count: 1, lastAt: T0 + 3_600_000 }]);
    expect([allowed(ledger, 'p', 'u'), allowed(ledger, 'p', 'u')]).toEqual([true, false]);
  });

  it('remembers at most maxKeys keys and unshared spends', () => {
    const { ledgers } = replicas(1, { p: { limit: 1, windowMs: 60_000 } }, 10);
    const [ledger] = ledgers as [RateLedger];
    for (let i = 0; i < 25; i++) ledger.take('p', `user-${i}`);
    expect(ledger.unsharedCount).toBe(10);
    expect(ledger.drain().map((s) => s.key)).toEqual(
      Array.from({ length: 10 }, (_, i) => hashedKey(`user-${15 + i}`)),
    );
    // The oldest key's state went too: it starts afresh.
    expect(allowed(ledger, 'p', 'user-0')).toBe(true);
    expect(allowed(ledger, 'p', 'user-24')).toBe(false);
  });
});
