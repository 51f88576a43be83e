/**
 * Request limits decided in each "replica" (its own NATS connection, ledger and exchange) and kept
 * in step through real NATS: once replicas have exchanged their batches they hold one limit
 * together; before that, together they admit no more than the README's bound (R × limit in a
 * burst), and the excess stays owed. A replica that starts later reads the history; while NATS is
 * gone each replica holds the limits on its own and what it admitted is shared once NATS is back.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { DomainError } from '@app/contracts';
import { RateLedger, RateLimiter, SpendExchange, type RateLimitOptions } from '@app/ratelimit';
import { startNats, stopPid, testStack, type StartedNats } from '../support/stack';

/** The test stack's NATS may be shared with other runs: a stream of this run only. */
const RUN = randomBytes(4).toString('hex');
const SYNC_MS = 50;

const RATES = { perUser: { limit: 5, windowMs: 60_000 }, burst: { limit: 30, windowMs: 60_000 } };

interface Replica {
  readonly connection: NatsConnection;
  readonly limiter: RateLimiter;
  readonly exchange: SpendExchange;
}

function replicaOn(connection: NatsConnection, namespace: string, timeoutMs = 2_000): Replica {
  const options: RateLimitOptions = {
    namespace,
    rates: RATES,
    lockouts: {},
    store: { timeoutMs, retryAfterMs: 500 },
  };
  const ledger = new RateLedger(options.rates);
  const link = { current: () => connection, whenConnected: () => Promise.resolve(connection) };
  const exchange = new SpendExchange(link, ledger, {
    namespace,
    syncIntervalMs: SYNC_MS,
    timeoutMs,
    maxBytes: 1 << 20,
  });
  exchange.start();
  return { connection, limiter: new RateLimiter(options, ledger), exchange };
}

/** What take() did: allowed, or refused with a Retry-After in seconds. */
function outcomeOf(replica: Replica, policy: string, key: string): 'ok' | number {
  try {
    replica.limiter.take(policy, key);
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError && error.code === 'rate_limited') {
      return error.details?.retryAfterSeconds as number;
    }
    throw error;
  }
}

/** Polls `condition` (in-memory state fed by NATS) until it holds; fails after timeoutMs. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

/**
 * Waits for the event the bound is about: every replica has sent its batches and applied the
 * others'. A batch whose publish was slow stays queued for the next flush (by design): flush until
 * nothing is left unshared.
 */
async function exchanged(replicas: readonly Replica[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await Promise.all(replicas.map((r) => r.exchange.flush()));
    if (replicas.every((r) => r.exchange.unshared === 0)) break;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting until shared: ${replicas.map((r) => r.exchange.unshared).join(', ')} left`,
      );
    }
    await sleep(50);
  }
  for (const from of replicas) {
    for (const to of replicas) {
      if (to === from) continue;
      await until(
        () => to.exchange.appliedFrom(from.exchange.replicaId) >= from.exchange.sentSeq,
        'batches applied',
      );
    }
  }
}

/**
 * The least Retry-After (whole seconds, at least 1) for a wait of at least `ms`, rounded down
 * rather than up: state timestamps are whole milliseconds, so the wait may be a few ms short.
 */
function atLeastSeconds(ms: number): number {
  return Math.max(1, Math.floor(ms / 1000));
}

async function deleteStream(connection: NatsConnection, namespace: string): Promise<void> {
  const jsm = await connection.jetstreamManager();
  await jsm.streams.delete(`${namespace}-spends`).catch(() => false);
}

beforeAll(() => {
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
});

afterAll(() => jest.restoreAllMocks());

describe('request limits kept in step through NATS', () => {
  const namespace = `rlsync-${RUN}`;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    const { natsUrl } = testStack();
    a = replicaOn(await connect({ servers: natsUrl, name: `rlsync-a-${RUN}` }), namespace);
    b = replicaOn(await connect({ servers: natsUrl, name: `rlsync-b-${RUN}` }), namespace);
  });

  afterAll(async () => {
    await Promise.all([a?.exchange.stop(), b?.exchange.stop()]);
    if (a) await deleteStream(a.connection, namespace);
    await Promise.all([a?.connection.close(), b?.connection.close()]);
  });

  it('holds one limit once the replicas have exchanged: the 6th of 5 per minute is refused on both', async () => {
    const outcomes: Array<'ok' | number> = [];
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      outcomes.push(outcomeOf(i % 2 === 0 ? a : b, 'perUser', 'user-1'));
      await exchanged([a, b]);
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    // One token comes back every 12 s, counted from the first request: the exchanges in between
    // (several NATS round trips, slow on a loaded machine) shorten the wait by their duration.
    for (const replica of [a, b]) {
      const refused = outcomeOf(replica, 'perUser', 'user-1');
      expect(refused).toEqual(expect.any(Number));
      expect(refused).toBeGreaterThanOrEqual(atLeastSeconds(12_000 - (Date.now() - started)));
      expect(refused).toBeLessThanOrEqual(12);
    }
    expect(outcomeOf(a, 'perUser', 'user-2')).toBe('ok');
  });

  it('leaves a replica only what the other has not used: 20 of 30 on one, then 10 on the other', async () => {
    const onA = Array.from({ length: 20 }, () => outcomeOf(a, 'burst', 'split-key'));
    expect(onA.every((o) => o === 'ok')).toBe(true);
    await exchanged([a, b]);
    const onB = Array.from({ length: 20 }, () => outcomeOf(b, 'burst', 'split-key'));
    // Counted per process, B would admit all 20.
    expect(onB.filter((o) => o === 'ok')).toHaveLength(10);
  });

  it('admits at most 2 × limit in a burst on both at once, and the excess stays owed on both', async () => {
    const started = Date.now();
    const burst = await Promise.all(
      Array.from({ length: 80 }, async (_, i) => {
        await sleep(0);
        return outcomeOf(i % 2 === 0 ? a : b, 'burst', 'hot-key');
      }),
    );
    const admitted = burst.filter((o) => o === 'ok').length;
    // The README's bound for R = 2: each replica stops at the limit on its own.
    expect(admitted).toBeGreaterThanOrEqual(30);
    expect(admitted).toBeLessThanOrEqual(60);
    await exchanged([a, b]);
    for (const replica of [a, b]) {
      const refused = outcomeOf(replica, 'burst', 'hot-key');
      // A full bucket waits 2 s for a token; one in debt waits for the debt too, less the time
      // since the burst.
      expect(refused).toEqual(expect.any(Number));
      expect(refused).toBeGreaterThanOrEqual(
        atLeastSeconds(2_000 + (admitted - 30) * 2_000 - (Date.now() - started)),
      );
    }
  });

  it('teaches a replica that starts later what the others admitted (the stored history)', async () => {
    for (let i = 0; i < 5; i++) expect(outcomeOf(a, 'perUser', 'user-history')).toBe('ok');
    await a.exchange.flush();
    const late = replicaOn(
      await connect({ servers: testStack().natsUrl, name: `rlsync-c-${RUN}` }),
      namespace,
    );
    try {
      await until(
        () => late.exchange.appliedFrom(a.exchange.replicaId) >= a.exchange.sentSeq,
        'history read',
      );
      expect(outcomeOf(late, 'perUser', 'user-history')).toEqual(expect.any(Number));
    } finally {
      await late.exchange.stop();
      await late.connection.close();
    }
  });

  it('sends hashed keys only: no user id in the stored batches', async () => {
    const jsm = await a.connection.jetstreamManager();
    const { state } = await jsm.streams.info(`${namespace}-spends`);
    expect(state.messages).toBeGreaterThan(0);
    for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
      const text = new TextDecoder().decode(
        (await jsm.streams.getMessage(`${namespace}-spends`, { seq })).data,
      );
      expect(text).not.toMatch(/user-|split-key|hot-key/);
    }
  });
});

describe('request limits while NATS is gone', () => {
  const namespace = `rlsync-outage-${RUN}`;
  let tempDir: string;
  let nats: StartedNats | undefined;
  let replica: Replica;

  beforeAll(async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'rlsync-int-'));
    nats = await startNats({ dataDir: join(tempDir, 'nats') });
    const connection = await connect({
      servers: nats.url,
      name: `rlsync-outage-${RUN}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 200,
    });
    replica = replicaOn(connection, namespace, 300);
  }, 30_000);

  afterAll(async () => {
    await replica?.exchange.stop();
    await replica?.connection.close();
    if (nats) await stopPid(nats.record, 5_000);
    rmSync(tempDir, { recursive: true, force: true });
  });

  it('holds the limit on its own without waiting, and shares what it admitted once NATS is back', async () => {
    const port = nats!.port;
    await stopPid(nats!.record, 5_000);
    nats = undefined;
    const outcomes = Array.from({ length: 7 }, () => outcomeOf(replica, 'perUser', 'u-outage'));
    expect(outcomes.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(outcomes.slice(5)).toEqual([expect.any(Number), expect.any(Number)]);
    await replica.exchange.flush();
    expect(replica.exchange.degraded).toBe(true);
    expect(replica.exchange.unshared).toBeGreaterThan(0);

    // NATS comes back on the same port, without the (memory) stream: the queued batch goes out.
    nats = await startNats({ dataDir: join(tempDir, 'nats'), port });
    const deadline = Date.now() + 15_000;
    while (replica.exchange.degraded || replica.exchange.unshared > 0) {
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(100);
      await replica.exchange.flush();
    }
    const other = replicaOn(await connect({ servers: nats.url, name: `rlsync-outage-b-${RUN}` }), namespace);
    try {
      await until(() => other.exchange.appliedFrom(replica.exchange.replicaId) >= 1, 'history read');
      expect(outcomeOf(other, 'perUser', 'u-outage')).toEqual(expect.any(Number));
    } finally {
      await other.exchange.stop();
      await other.connection.close();
    }
  }, 60_000);
});
