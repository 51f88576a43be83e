/**
 * The generator's retention sweep of expired codes against the test stack's MongoDB (the FerretDB
 * dev server unless MONGODB_URI is set), driven by calling its run with a chosen `now`, never by
 * its timer: expired codes are marked and leave the claim path (and stats and exports still report
 * them), go after their retention (claimed codes never), every write is a bounded batch with the
 * majority write concern, and two replicas can sweep at once. Deliveries and jobs:
 * record-retention.int-spec.ts.
 */
import { randomBytes } from 'node:crypto';
import type mongoose from 'mongoose';
import type {
  CodeClaimsRepository,
  CodeInventoryRepository,
  CodeListingRepository,
  CodePoolRepository,
} from '@app/persistence';
import type { MonitoredConnection, SentCommand } from '../support/command-monitor';
import {
  brand,
  DAY_MS,
  HOUR_MS,
  KEEP_ALL,
  openRetentionStore,
  THIRTY_DAYS,
  type RetentionStore,
  type RetentionSweeper,
} from '../support/retention-store';

const DB_NAME = `int_code_expiry_${randomBytes(4).toString('hex')}`;

let store: RetentionStore | undefined;
let monitored: MonitoredConnection;
let inventory: CodeInventoryRepository;
let listing: CodeListingRepository;
let claims: CodeClaimsRepository;
let pool: CodePoolRepository;
let sweeper: RetentionStore['sweeper'];

beforeAll(async () => {
  store = await openRetentionStore(DB_NAME);
  ({ monitored, inventory, listing, claims, pool, sweeper } = store);
});

// The sweep works across brands: each test starts from empty collections.
beforeEach(async () => {
  await store!.clear();
});

afterAll(async () => {
  await store?.close();
});

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
      listing.page(expiring, status, 10, undefined, later);
    expect((await rows('expired')).map((r) => r.status)).toEqual(['expired', 'expired']);
    expect(await rows('available')).toEqual([]);
    expect((await rows('all')).map((r) => r.status).sort()).toEqual(['claimed', 'expired', 'expired']);
    const streamed: string[] = [];
    for await (const row of listing.streamRows(expiring, 'expired', later)) streamed.push(row.status);
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
    expect(await pool.countAvailable(brandId, later)).toBe(0);
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
