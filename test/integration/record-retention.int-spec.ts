/**
 * The generator's retention sweep of finished records against the test stack's MongoDB (the
 * FerretDB dev server unless MONGODB_URI is set), driven by calling its run with a chosen `now`,
 * never by its timer: finished deliveries with their attempts and finished jobs with their chunks
 * go after their retention, pending and unfinished ones never; and why the sweeper deletes by
 * itself. Expired codes: code-expiry.int-spec.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  AttemptSummary,
  GenerationJobsRepository,
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
} from '@app/persistence';
import type { MonitoredConnection } from '../support/command-monitor';
import {
  brand,
  DAY_MS,
  KEEP_ALL,
  openRetentionStore,
  THIRTY_DAYS,
  type RetentionStore,
} from '../support/retention-store';
import { testStack } from '../support/stack';

const DB_NAME = `int_record_retention_${randomBytes(4).toString('hex')}`;

let store: RetentionStore | undefined;
let monitored: MonitoredConnection;
let deliveries: WebhookDeliveriesRepository;
let attempts: WebhookAttemptsRepository;
let jobs: GenerationJobsRepository;
let sweeper: RetentionStore['sweeper'];

beforeAll(async () => {
  store = await openRetentionStore(DB_NAME);
  ({ monitored, deliveries, attempts, jobs, sweeper } = store);
});

// The sweep works across brands: each test starts from empty collections.
beforeEach(async () => {
  await store!.clear();
});

afterAll(async () => {
  await store?.close();
});

const failed = (at: Date): AttemptSummary => ({
  at,
  outcome: 'failed',
  statusCode: 503,
  error: 'HTTP 503',
  durationMs: 5,
});
const ok = (at: Date): AttemptSummary => ({ at, outcome: 'delivered', statusCode: 200, durationMs: 5 });

/** A delivery created at `createdAt`, with a failed attempt then `end` (or still pending) at `endAt`. */
async function delivery(
  brandId: string,
  createdAt: Date,
  end: 'delivered' | 'dead' | 'pending',
  endAt: Date,
) {
  const id = randomUUID();
  await deliveries.insertNew([
    { eventId: id, brandId, eventType: 'code.claimed', payload: { id }, createdAt },
  ]);
  const attempt = async (summary: AttemptSummary, number: number) => {
    const lease = await deliveries.lease(
      id,
      summary.at,
      new Date(summary.at.getTime() + 60_000),
      randomUUID(),
    );
    await attempts.record(brandId, { deliveryId: id, number, ...summary });
    return lease!;
  };
  const lease = await attempt(failed(createdAt), 1);
  if (end === 'pending') await deliveries.recordRetry(lease, failed(createdAt), endAt);
  else if (end === 'delivered') await deliveries.recordDelivered(lease, ok(endAt));
  else await deliveries.recordDead(lease, failed(endAt), 'max attempts');
  return id;
}

describe('webhook deliveries and generation jobs', () => {
  it('deletes finished deliveries with their attempts after the retention, never pending or recent ones', async () => {
    const now = new Date();
    const days = (n: number) => new Date(now.getTime() - n * DAY_MS);
    const brandId = brand();
    const oldDelivered = await delivery(brandId, days(41), 'delivered', days(40));
    const oldDead = await delivery(brandId, days(41), 'dead', days(40));
    const recentDelivered = await delivery(brandId, days(41), 'delivered', days(1));
    const oldPending = await delivery(brandId, days(41), 'pending', days(40));
    const redelivered = await delivery(brandId, days(41), 'dead', days(40));
    expect(await deliveries.redeliver(brandId, redelivered, days(39))).toBe('requeued');

    expect((await sweeper(KEEP_ALL).sweep(now)).deliveriesDeleted).toBe(0);
    const report = await sweeper(THIRTY_DAYS).sweep(now);
    expect(report).toMatchObject({ deliveriesDeleted: 2, attemptsDeleted: 2 });

    const left = await monitored.connection
      .collection<{ _id: string }>('webhook_deliveries')
      .find({}, { projection: { _id: 1 } })
      .toArray();
    expect(left.map((d) => d._id).sort()).toEqual([recentDelivered, oldPending, redelivered].sort());
    const attemptsLeft = (await monitored.connection
      .collection('webhook_attempts')
      .distinct('deliveryId')) as string[];
    expect(attemptsLeft.sort()).toEqual([recentDelivered, oldPending, redelivered].sort());
    expect(attemptsLeft).not.toContain(oldDelivered);
    expect(attemptsLeft).not.toContain(oldDead);
  });

  it('deletes finished jobs with their chunks after the retention, never queued or running ones', async () => {
    const now = new Date();
    const days = (n: number) => new Date(now.getTime() - n * DAY_MS);
    const job = async (end: 'completed' | 'failed' | 'cancelled' | 'queued' | 'running', at: Date) => {
      const id = randomUUID();
      await jobs.create({
        id,
        brandId: 'jobs-brand',
        requested: 20,
        format: { length: 8, prefix: '', alphabet: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' },
        spaceKey: '8::ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
        chunkSize: 10,
        chunkCount: 2,
        createdAt: days(60),
      });
      if (end !== 'queued') await jobs.markRunning(id, days(60));
      await jobs.recordChunkDone(id, 0, 10, days(60));
      if (end === 'completed') await jobs.markCompleted(id, at);
      else if (end === 'failed' || end === 'cancelled') await jobs.stop(id, end, at, 'stopped');
      return id;
    };
    const gone = [
      await job('completed', days(40)),
      await job('failed', days(31)),
      await job('cancelled', days(35)),
    ];
    const kept = [
      await job('completed', days(29)),
      await job('queued', days(60)),
      await job('running', days(60)),
    ];

    const report = await sweeper({ ...KEEP_ALL, generationJobsMs: 30 * DAY_MS }).sweep(now, {
      size: 2,
      maxBatches: 5,
    });
    expect(report.jobsDeleted).toBe(3);
    for (const id of gone) expect(await jobs.findById(id)).toBeNull();
    for (const id of kept) expect(await jobs.findById(id)).not.toBeNull();
    const chunksLeft = (await monitored.connection
      .collection('generation_job_chunks')
      .distinct('jobId')) as string[];
    expect(chunksLeft.sort()).toEqual([...kept].sort());
  });
});

it('the dev server refuses TTL indexes, which is why the sweeper deletes by itself', async () => {
  const collection = monitored.connection.collection('ttl_probe');
  const created = collection.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
  if (testStack().isFerretDb) await expect(created).rejects.toThrow(/expireAfterSeconds/);
  else await expect(created).resolves.toBe('at_1');
});
