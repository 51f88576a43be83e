/**
 * The generator's retention sweep against the test stack's MongoDB (the FerretDB dev server unless
 * MONGODB_URI is set), driven by calling its run with a chosen `now`, never by its timer: expired
 * codes leave the claim path (and stats and exports still report them), finished deliveries with
 * their attempts and finished jobs with their chunks go after their retention, pending and
 * unfinished ones never, and every write is a bounded batch with the majority write concern.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type mongoose from 'mongoose';
import {
  Code,
  CodeClaimsRepository,
  CodeExpiryRepository,
  CodeInventoryRepository,
  CodeSchema,
  GenerationJob,
  GenerationJobChunk,
  GenerationJobChunkSchema,
  GenerationJobSchema,
  GenerationJobsRepository,
  WebhookAttempt,
  WebhookAttemptSchema,
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
  WebhookDelivery,
  WebhookDeliverySchema,
  type AttemptSummary,
} from '@app/persistence';
// The sweeper is generator code; this tier runs it on a real server, with its repositories only.
// eslint-disable-next-line no-restricted-imports
import type { RetentionConfig } from '../../apps/generator/src/generator.config';
// eslint-disable-next-line no-restricted-imports
import { RetentionSweeper } from '../../apps/generator/src/retention/retention-sweeper';
import { monitoredConnection, type MonitoredConnection, type SentCommand } from '../support/command-monitor';
import { testStack } from '../support/stack';

const DB_NAME = `int_retention_${randomBytes(4).toString('hex')}`;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const KEEP_ALL: RetentionConfig = { expiredCodesMs: null, webhookDeliveriesMs: null, generationJobsMs: null };
const THIRTY_DAYS: RetentionConfig = {
  expiredCodesMs: 30 * DAY_MS,
  webhookDeliveriesMs: 30 * DAY_MS,
  generationJobsMs: 30 * DAY_MS,
};

let monitored: MonitoredConnection;
let models: mongoose.Model<unknown>[];
let inventory: CodeInventoryRepository;
let claims: CodeClaimsRepository;
let expiry: CodeExpiryRepository;
let deliveries: WebhookDeliveriesRepository;
let attempts: WebhookAttemptsRepository;
let jobs: GenerationJobsRepository;

const sweeper = (config: RetentionConfig) => new RetentionSweeper(config, expiry, deliveries, attempts, jobs);

beforeAll(async () => {
  // The sweeper's summary lines would only clutter the output.
  Logger.overrideLogger(['error', 'fatal']);
  // The lib's schemas and repositories on a connection of the spec's own: command monitoring must
  // be on before the driver connects.
  monitored = await monitoredConnection(DB_NAME);
  const model = <T>(name: string, schema: mongoose.Schema<T>) => monitored.connection.model<T>(name, schema);
  const code = model(Code.name, CodeSchema);
  const delivery = model(WebhookDelivery.name, WebhookDeliverySchema);
  const attempt = model(WebhookAttempt.name, WebhookAttemptSchema);
  const job = model(GenerationJob.name, GenerationJobSchema);
  const chunk = model(GenerationJobChunk.name, GenerationJobChunkSchema);
  models = [code, delivery, attempt, job, chunk] as unknown as mongoose.Model<unknown>[];
  // What IndexesReady does at start-up: the new indexes must build on this server too.
  await Promise.all(models.map((m) => m.init()));
  inventory = new CodeInventoryRepository(code);
  claims = new CodeClaimsRepository(code);
  expiry = new CodeExpiryRepository(code);
  deliveries = new WebhookDeliveriesRepository(delivery);
  attempts = new WebhookAttemptsRepository(attempt);
  jobs = new GenerationJobsRepository(job, chunk);
});

// The sweep works across brands: each test starts from empty collections.
beforeEach(async () => {
  await Promise.all(models.map((m) => m.deleteMany({}).exec()));
});

afterAll(async () => {
  await monitored?.connection.dropDatabase();
  await monitored?.connection.close();
});

const brand = () => `brand-${randomBytes(4).toString('hex')}`;
const codesOf = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`.toUpperCase());
/** A code document as stored, as far as these tests look at it. */
interface CodeDoc {
  _id: mongoose.Types.ObjectId;
  code: string;
  status: string;
  holder: string;
  claimedBy?: string;
  expiresAt: Date;
}
const codeDocs = (brandId: string) =>
  monitored.connection.collection<CodeDoc>('codes').find({ brandId }).sort({ code: 1 }).toArray();

async function insertCodes(brandId: string, n: number, createdAt: Date, expiresAt?: Date): Promise<void> {
  const tag = randomBytes(3).toString('hex');
  await inventory.insertBatch({
    brandId,
    batchId: tag,
    createdAt,
    codes: codesOf(n, tag),
    ...(expiresAt ? { expiresAt } : {}),
  });
}

const writes = (commands: readonly SentCommand[]) =>
  commands.filter((c) => ['update', 'delete', 'insert', 'findAndModify'].includes(c.name));

describe('expired codes', () => {
  it('are marked expired; claimed and unexpired codes are left as they are; stats and exports still report them', async () => {
    const t0 = new Date();
    const [expiring, fresh] = [brand(), brand()];
    await insertCodes(expiring, 3, t0, new Date(t0.getTime() + HOUR_MS));
    await insertCodes(fresh, 2, t0, new Date(t0.getTime() + 10 * DAY_MS));
    await insertCodes(fresh, 2, t0);
    const claim = await claims.claimAvailable(expiring, 'early-user', t0);
    expect(claim.outcome).toBe('claimed');
    const later = new Date(t0.getTime() + 2 * HOUR_MS);

    const report = await sweeper(KEEP_ALL).sweep(later);
    expect(report).toEqual({
      codesMarkedExpired: 2,
      expiredCodesDeleted: 0,
      deliveriesDeleted: 0,
      attemptsDeleted: 0,
      jobsDeleted: 0,
    });
    const docs = await codeDocs(expiring);
    expect(docs.map((d) => d.status).sort()).toEqual(['claimed', 'expired', 'expired']);
    // Marked, not changed otherwise: still nobody's, and the claim is intact.
    for (const d of docs.filter((doc) => doc.status === 'expired')) {
      expect(d.holder).toBe(`#${d.code}`);
      expect(d.claimedBy).toBeUndefined();
    }
    expect(docs.find((d) => d.status === 'claimed')?.claimedBy).toBe('early-user');
    expect((await codeDocs(fresh)).map((d) => d.status)).toEqual([
      'available',
      'available',
      'available',
      'available',
    ]);

    expect(await inventory.countByStatus(expiring, later)).toEqual({
      total: 3,
      available: 0,
      claimed: 1,
      expired: 2,
    });
    expect(await inventory.countByStatus(fresh, later)).toEqual({
      total: 4,
      available: 4,
      claimed: 0,
      expired: 0,
    });
    const rows = (status: 'available' | 'claimed' | 'expired' | 'all') =>
      inventory.page(expiring, status, 10, undefined, later);
    expect((await rows('expired')).map((r) => r.status)).toEqual(['expired', 'expired']);
    expect(await rows('available')).toEqual([]);
    expect((await rows('all')).map((r) => r.status).sort()).toEqual(['claimed', 'expired', 'expired']);
    const streamed: string[] = [];
    for await (const row of inventory.streamRows(expiring, 'expired', later)) streamed.push(row.status);
    expect(streamed).toEqual(['expired', 'expired']);

    // A second run (or another replica's) finds nothing left to do.
    expect((await sweeper(KEEP_ALL).sweep(later)).codesMarkedExpired).toBe(0);
  });

  it('leave the claim path: a claim on a brand with only expired codes left is codes_exhausted and changes nothing', async () => {
    const t0 = new Date();
    const brandId = brand();
    await insertCodes(brandId, 4, t0, new Date(t0.getTime() + HOUR_MS));
    const later = new Date(t0.getTime() + 2 * HOUR_MS);
    await sweeper(KEEP_ALL).sweep(later);
    const before = await codeDocs(brandId);

    let outcome: unknown;
    const commands = await monitored.commandsOf(async () => {
      outcome = (await claims.claimOrFindHeld(brandId, 'late-user', later)).outcome;
    });
    expect(outcome).toBe('none_available');
    // The claim's commands look for available codes only; the marked ones are not that.
    const claimFilters = commands
      .filter((c) => c.name === 'findAndModify')
      .map((c) => c.command.query as unknown);
    expect(claimFilters).toHaveLength(2);
    for (const filter of claimFilters) expect(filter).toMatchObject({ brandId, status: 'available' });
    expect(await codeDocs(brandId)).toEqual(before);
    expect(await claims.countAvailable(brandId, later)).toBe(0);
  });

  it('work in bounded batches by _id, with the majority write concern, and stop at the run’s batch limit', async () => {
    const t0 = new Date();
    const brandId = brand();
    await insertCodes(brandId, 25, t0, new Date(t0.getTime() + HOUR_MS));
    const later = new Date(t0.getTime() + 2 * HOUR_MS);
    const sweep = sweeper(KEEP_ALL);

    let first: Awaited<ReturnType<RetentionSweeper['sweep']>> | undefined;
    const commands = await monitored.commandsOf(async () => {
      first = await sweep.sweep(later, { size: 10, maxBatches: 2 });
    });
    expect(first?.codesMarkedExpired).toBe(20);
    const updates = writes(commands);
    expect(updates.map((c) => c.name)).toEqual(['update', 'update']);
    for (const update of updates) {
      const [statement] = update.command.updates as Array<{ q: { _id: { $in: unknown[] } } }>;
      expect(statement!.q._id.$in.length).toBeLessThanOrEqual(10);
      expect(update.writeConcern).toEqual({ w: 'majority', j: true });
    }
    for (const find of commands.filter((c) => c.name === 'find' && c.collection === 'codes')) {
      expect(find.command.limit).toBe(10);
    }
    expect((await sweep.sweep(later, { size: 10, maxBatches: 2 })).codesMarkedExpired).toBe(5);
    expect((await inventory.countByStatus(brandId, later)).expired).toBe(25);
    expect(
      await monitored.connection.collection('codes').countDocuments({ brandId, status: 'expired' }),
    ).toBe(25);
  });

  it('are deleted after EXPIRED_CODES_RETENTION_DAYS, counted from their expiry; claimed codes never are', async () => {
    const now = new Date();
    const days = (n: number) => new Date(now.getTime() - n * DAY_MS);
    const brandId = brand();
    await insertCodes(brandId, 3, days(50), days(40));
    await insertCodes(brandId, 2, days(50), days(10));
    await insertCodes(brandId, 1, days(50), days(40));
    // One of the long-expired codes was claimed before it expired.
    const oldCode = (await codeDocs(brandId)).find((d) => d.expiresAt.getTime() === days(40).getTime())!;
    await monitored.connection
      .collection('codes')
      .updateOne(
        { _id: oldCode._id },
        { $set: { status: 'claimed', holder: 'u1', claimedBy: 'u1', claimedAt: days(45) } },
      );

    // Kept by default: marked only.
    expect(await sweeper(KEEP_ALL).sweep(now)).toMatchObject({
      codesMarkedExpired: 5,
      expiredCodesDeleted: 0,
    });
    // Marked and deleted in one run when the retention is on: the 3 expired 40 days ago.
    await monitored.connection
      .collection('codes')
      .updateMany({ brandId, status: 'expired' }, { $set: { status: 'available' } });
    expect(await sweeper(THIRTY_DAYS).sweep(now)).toMatchObject({
      codesMarkedExpired: 5,
      expiredCodesDeleted: 3,
    });
    expect((await codeDocs(brandId)).map((d) => d.status).sort()).toEqual(['claimed', 'expired', 'expired']);
    expect(await inventory.countByStatus(brandId, now)).toEqual({
      total: 3,
      available: 0,
      claimed: 1,
      expired: 2,
    });
  });

  it('sweeps from two replicas at once without error, every code ending marked', async () => {
    const t0 = new Date();
    const brandId = brand();
    await insertCodes(brandId, 30, t0, new Date(t0.getTime() + HOUR_MS));
    const later = new Date(t0.getTime() + 2 * HOUR_MS);
    await Promise.all([
      sweeper(KEEP_ALL).sweep(later, { size: 7, maxBatches: 10 }),
      sweeper(KEEP_ALL).sweep(later, { size: 7, maxBatches: 10 }),
    ]);
    expect(await inventory.countByStatus(brandId, later)).toEqual({
      total: 30,
      available: 0,
      claimed: 0,
      expired: 30,
    });
  });
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
