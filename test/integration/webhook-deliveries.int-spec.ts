/**
 * The webhook deliveries and attempts repositories against the test stack's MongoDB, in a
 * database of this file's own: recording (idempotent by event id), leasing (one dispatcher per
 * attempt), outcomes guarded by the lease, dead letters and their redelivery, and paging.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { ConfigModule, type CommonConfig } from '@app/config';
import {
  COLLECTION_NAMES,
  PersistenceModule,
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
  type AttemptSummary,
  type LeasedDelivery,
  type NewDelivery,
} from '@app/persistence';
import { testStackConfig } from '../support/config';

const DB_NAME = `int_deliveries_${randomBytes(4).toString('hex')}`;

function testConfig(): CommonConfig {
  return {
    ...testStackConfig('deliveries-int-spec', DB_NAME),
    eventStream: {
      retention: 'limits',
      maxAgeMs: 3_600_000,
      maxBytes: 1 << 20,
      duplicateWindowMs: 60_000,
      replicas: 1,
    },
    adminToken: 'deliveries-int-spec-admin-token',
  };
}

let moduleRef: TestingModule;
let connection: Connection;
let deliveries: WebhookDeliveriesRepository;
let attempts: WebhookAttemptsRepository;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testConfig()),
      PersistenceModule.forRoot({ defaultPoolSize: 5, collections: COLLECTION_NAMES }),
    ],
  })
    .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
    .compile();
  await moduleRef.init();
  connection = moduleRef.get<Connection>(getConnectionToken());
  deliveries = moduleRef.get(WebhookDeliveriesRepository);
  attempts = moduleRef.get(WebhookAttemptsRepository);
});

afterAll(async () => {
  if (connection) await connection.dropDatabase();
  if (moduleRef) await moduleRef.close();
});

const brand = () => `brand-${randomBytes(4).toString('hex')}`;

function newDelivery(brandId: string, createdAt = new Date()): NewDelivery {
  const eventId = randomUUID();
  return {
    eventId,
    brandId,
    eventType: 'code.claimed',
    payload: { eventId, type: 'code.claimed', brandId, code: 'C0DE', userId: 'u' },
    traceContext: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    createdAt,
  };
}

const failed = (at: Date): AttemptSummary => ({
  at,
  outcome: 'failed',
  statusCode: 503,
  error: 'HTTP 503',
  durationMs: 12,
});
const ok = (at: Date): AttemptSummary => ({ at, outcome: 'delivered', statusCode: 200, durationMs: 7 });

async function leaseOne(id: string, now = new Date()): Promise<LeasedDelivery> {
  const lease = await deliveries.lease(id, now, new Date(now.getTime() + 60_000), randomUUID());
  if (!lease) throw new Error(`could not lease ${id}`);
  return lease;
}

describe('WebhookDeliveriesRepository', () => {
  it('stores new deliveries as pending and due, and ignores an event it already has', async () => {
    const brandId = brand();
    const [a, b] = [newDelivery(brandId), newDelivery(brandId)];
    expect(await deliveries.insertNew([a, b])).toEqual(new Set([a.eventId, b.eventId]));
    const c = newDelivery(brandId);
    expect(await deliveries.insertNew([a, c, b])).toEqual(new Set([c.eventId]));
    expect(await deliveries.insertNew([])).toEqual(new Set());
    expect(await deliveries.findOne(brandId, a.eventId)).toMatchObject({
      id: a.eventId,
      brandId,
      status: 'pending',
      payload: a.payload,
      cycleAttempts: 0,
      totalAttempts: 0,
      redeliveries: 0,
      traceContext: a.traceContext,
    });
    expect(await deliveries.countByStatus(brandId)).toEqual({ pending: 3, delivered: 0, dead: 0 });
    expect(await deliveries.findOne('another-brand', a.eventId)).toBeNull();
  });

  it('stores a delivery already leased: not due until the lease runs out, and finished with that lease', async () => {
    const brandId = brand();
    const until = new Date(Date.now() + 60_000);
    const d = { ...newDelivery(brandId), lease: { token: 'reserved-token', until } };
    expect(await deliveries.insertNew([d])).toEqual(new Set([d.eventId]));
    expect((await deliveries.findDue(new Date(), 1_000, [])).some((due) => due.id === d.eventId)).toBe(false);
    expect(await deliveries.lease(d.eventId, new Date(), until, 'another')).toBeNull();
    const record = (await deliveries.findOne(brandId, d.eventId))!;
    expect(
      await deliveries.recordDelivered({ ...record, leaseToken: 'reserved-token' }, ok(new Date())),
    ).toBe(true);
  });

  it('findDue lists due deliveries oldest first, skipping excluded brands and respecting the limit', async () => {
    const [x, y] = [brand(), brand()];
    const past = (s: number) => new Date(Date.parse('2001-01-01T00:00:00Z') + s * 1_000);
    const [x1, y1, x2] = [newDelivery(x, past(1)), newDelivery(y, past(2)), newDelivery(x, past(3))];
    await deliveries.insertNew([x2, y1, x1]);
    const cutoff = past(10);
    const mine = (list: Array<{ id: string }>) =>
      list.filter((d) => [x1, y1, x2].some((n) => n.eventId === d.id));
    expect(mine(await deliveries.findDue(cutoff, 1_000, [])).map((d) => d.id)).toEqual([
      x1.eventId,
      y1.eventId,
      x2.eventId,
    ]);
    expect(mine(await deliveries.findDue(cutoff, 1_000, [x])).map((d) => d.id)).toEqual([y1.eventId]);
    expect(await deliveries.findDue(past(1.5), 1_000, [])).toEqual(
      expect.arrayContaining([{ id: x1.eventId, brandId: x }]),
    );
    expect(mine(await deliveries.findDue(past(1.5), 1_000, []))).toHaveLength(1);
    expect(await deliveries.findDue(cutoff, 0, [])).toEqual([]);
  });

  it('lets exactly one of several concurrent dispatchers lease a delivery, and hides it while leased', async () => {
    const brandId = brand();
    const d = newDelivery(brandId);
    await deliveries.insertNew([d]);
    const now = new Date();
    const leases = await Promise.all(
      Array.from({ length: 5 }, () =>
        deliveries.lease(d.eventId, now, new Date(now.getTime() + 60_000), randomUUID()),
      ),
    );
    expect(leases.filter((l) => l !== null)).toHaveLength(1);
    expect((await deliveries.findDue(new Date(), 1_000, [])).some((due) => due.id === d.eventId)).toBe(false);
    // Once the lease runs out (the dispatcher died), it is due again.
    expect(
      (await deliveries.findDue(new Date(now.getTime() + 61_000), 1_000, [])).some(
        (due) => due.id === d.eventId,
      ),
    ).toBe(true);
  });

  it('records a delivery, then ignores a late result of the same lease', async () => {
    const brandId = brand();
    const d = newDelivery(brandId);
    await deliveries.insertNew([d]);
    const lease = await leaseOne(d.eventId);
    const at = new Date();
    expect(await deliveries.recordDelivered(lease, ok(at))).toBe(true);
    expect(await deliveries.findOne(brandId, d.eventId)).toMatchObject({
      status: 'delivered',
      deliveredAt: at,
      cycleAttempts: 1,
      totalAttempts: 1,
      lastAttempt: ok(at),
    });
    expect(await deliveries.recordRetry(lease, failed(at), new Date())).toBe(false);
    expect((await deliveries.findOne(brandId, d.eventId))?.status).toBe('delivered');
  });

  it('an expired lease taken over by another dispatcher cannot overwrite the newer state', async () => {
    const brandId = brand();
    const d = newDelivery(brandId);
    await deliveries.insertNew([d]);
    const now = new Date();
    const stale = await deliveries.lease(d.eventId, now, new Date(now.getTime() + 1), randomUUID());
    const fresh = await deliveries.lease(
      d.eventId,
      new Date(now.getTime() + 10),
      new Date(now.getTime() + 60_000),
      randomUUID(),
    );
    expect(stale && fresh).toBeTruthy();
    expect(await deliveries.recordDelivered(stale!, ok(now))).toBe(false);
    expect(await deliveries.recordRetry(fresh!, failed(now), new Date(now.getTime() + 5_000))).toBe(true);
    expect(await deliveries.findOne(brandId, d.eventId)).toMatchObject({
      status: 'pending',
      cycleAttempts: 1,
    });
  });

  it('retries on schedule, dead-letters, and redelivers a dead letter with a fresh budget', async () => {
    const brandId = brand();
    const d = newDelivery(brandId);
    await deliveries.insertNew([d]);
    const t0 = new Date();
    const retryAt = new Date(t0.getTime() + 2_000);
    expect(await deliveries.recordRetry(await leaseOne(d.eventId, t0), failed(t0), retryAt)).toBe(true);
    expect(await deliveries.findOne(brandId, d.eventId)).toMatchObject({
      status: 'pending',
      nextAttemptAt: retryAt,
    });
    expect((await deliveries.findDue(t0, 1_000, [])).some((due) => due.id === d.eventId)).toBe(false);

    expect(await deliveries.redeliver(brandId, d.eventId, new Date())).toBe('not_dead');
    expect(
      await deliveries.recordDead(
        await leaseOne(d.eventId, retryAt),
        failed(retryAt),
        'HTTP 503 after 2 attempts',
      ),
    ).toBe(true);
    expect(await deliveries.findOne(brandId, d.eventId)).toMatchObject({
      status: 'dead',
      deadAt: retryAt,
      deadReason: 'HTTP 503 after 2 attempts',
      cycleAttempts: 2,
      totalAttempts: 2,
    });
    expect(
      (await deliveries.findDue(new Date(Date.now() + 86_400_000), 1_000, [])).some(
        (due) => due.id === d.eventId,
      ),
    ).toBe(false);

    const again = new Date();
    expect(await deliveries.redeliver('another-brand', d.eventId, again)).toBe('not_found');
    expect(await deliveries.redeliver(brandId, randomUUID(), again)).toBe('not_found');
    expect(await deliveries.redeliver(brandId, d.eventId, again)).toBe('requeued');
    const requeued = await deliveries.findOne(brandId, d.eventId);
    expect(requeued).toMatchObject({
      status: 'pending',
      cycleAttempts: 0,
      totalAttempts: 2,
      redeliveries: 1,
      cycleStartedAt: again,
    });
    expect(requeued).not.toHaveProperty('deadAt');
    expect(requeued).not.toHaveProperty('deadReason');
    expect(await deliveries.redeliver(brandId, d.eventId, again)).toBe('not_dead');
  });

  it('lists a brand’s deliveries newest first, a page at a time, with a status filter', async () => {
    const brandId = brand();
    const base = Date.parse('2024-01-01T00:00:00Z');
    const made = Array.from({ length: 7 }, (_, i) =>
      newDelivery(brandId, new Date(base + Math.floor(i / 2) * 1_000)),
    );
    await deliveries.insertNew(made);
    await deliveries.insertNew([newDelivery(brand())]);
    const seen: string[] = [];
    let after: { createdAt: Date; id: string } | undefined;
    for (let page = 0; page < 5; page++) {
      const items = await deliveries.list(brandId, { limit: 3, after });
      if (items.length === 0) break;
      seen.push(...items.map((d) => d.id));
      const last = items[items.length - 1]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    // Every delivery once, in (createdAt desc, id desc) order, even where createdAt ties.
    const expected = [...made]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.eventId < b.eventId ? 1 : -1))
      .map((d) => d.eventId);
    expect(seen).toEqual(expected);

    await deliveries.recordDelivered(await leaseOne(made[0]!.eventId), ok(new Date()));
    expect((await deliveries.list(brandId, { limit: 10, status: 'delivered' })).map((d) => d.id)).toEqual([
      made[0]!.eventId,
    ]);
    expect(await deliveries.list(brandId, { limit: 10, status: 'dead' })).toEqual([]);
  });
});

describe('WebhookAttemptsRepository', () => {
  it('keeps every attempt, grouped by delivery, in order', async () => {
    const brandId = brand();
    const [a, b] = [randomUUID(), randomUUID()];
    const at = new Date('2024-01-01T00:00:00Z');
    await attempts.record(brandId, { deliveryId: a, number: 2, ...ok(at) });
    await attempts.record(brandId, { deliveryId: a, number: 1, ...failed(at) });
    await attempts.record(brandId, { deliveryId: b, number: 1, ...failed(at) });
    const grouped = await attempts.forDeliveries([a, b, randomUUID()]);
    expect(grouped.get(a)?.map((x) => [x.number, x.outcome])).toEqual([
      [1, 'failed'],
      [2, 'delivered'],
    ]);
    expect(grouped.get(a)?.[0]).toEqual({ deliveryId: a, number: 1, ...failed(at) });
    expect(grouped.get(b)).toHaveLength(1);
    expect([...grouped.values()].map((list) => list.length)).toEqual([2, 1, 0]);
    expect(await attempts.forDeliveries([])).toEqual(new Map());
  });
});
