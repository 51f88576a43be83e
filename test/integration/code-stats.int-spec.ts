/**
 * A brand's stats (GET /v1/brands/{brandId}/stats) and its stored-codes count (BRAND_MAX_CODES)
 * are counts on indexes, not reads of the brand's codes: checked on the commands as sent (the
 * driver's command monitoring), on the indexes the hints name, and, on a real MongoDB, on the
 * plans the server chooses. The FerretDB dev server scans whatever it is told (it accepts hints
 * and ignores them), so there the commands and the numbers are what can be checked.
 */
import { randomBytes } from 'node:crypto';
import type { Model } from 'mongoose';
import {
  availableCodes,
  BRAND_CODE_INDEX,
  BRAND_STATUS_INDEX,
  Code,
  CodeInventoryRepository,
  CodeSchema,
} from '@app/persistence';
import { monitoredConnection, type MonitoredConnection, type SentCommand } from '../support/command-monitor';
import { testStack } from '../support/stack';

const DB_NAME = `int_code_stats_${randomBytes(4).toString('hex')}`;
const NOW = new Date();
const PAST = new Date(NOW.getTime() - 3_600_000);
const FUTURE = new Date(NOW.getTime() + 3_600_000);

let monitored: MonitoredConnection;
let model: Model<Code>;
let inventory: CodeInventoryRepository;

/** `count` codes of `brandId` as stored, then given `fields` (a status, a claimant, an expiry). */
async function seed(brandId: string, count: number, fields: Record<string, unknown> = {}): Promise<void> {
  const createdAt = new Date();
  const codes = availableCodes(
    Array.from({ length: count }, () => ({
      brandId,
      code: randomBytes(6).toString('hex').toUpperCase(),
      batchId: 'seed',
      createdAt,
    })),
  ).map((doc) => ({
    ...doc,
    ...fields,
    ...(fields.status === 'claimed' ? { holder: `u-${doc.code}` } : {}),
  }));
  // The driver directly: the schema's enum would refuse the unknown status some specs store.
  await model.collection.insertMany(codes);
}

/** The aggregate commands a count sends: their $match and hint. */
function counts(commands: readonly SentCommand[]): Array<{ match: unknown; hint: unknown }> {
  return commands
    .filter((c) => c.collection === 'codes')
    .map((c) => {
      expect(c.name).toBe('aggregate');
      const pipeline = c.command.pipeline as Array<Record<string, unknown>>;
      // A count and nothing else: $match, then one group of a constant.
      expect(pipeline).toHaveLength(2);
      expect(pipeline[1]).toEqual({ $group: { _id: 1, n: { $sum: 1 } } });
      return { match: pipeline[0]!.$match, hint: c.command.hint as unknown };
    });
}

beforeAll(async () => {
  monitored = await monitoredConnection(DB_NAME);
  model = monitored.connection.model<Code>(Code.name, CodeSchema);
  await model.init();
  inventory = new CodeInventoryRepository(model);
  await seed('stats-a', 5);
  await seed('stats-a', 2, { expiresAt: FUTURE });
  // Past their expiry but not yet marked by the sweep: expired all the same.
  await seed('stats-a', 3, { expiresAt: PAST });
  await seed('stats-a', 4, { status: 'expired', expiresAt: PAST });
  await seed('stats-a', 6, { status: 'claimed', claimedBy: 'someone', claimedAt: PAST });
  await seed('stats-b', 7);
});

afterAll(async () => {
  await monitored?.connection.dropDatabase();
  await monitored?.connection.close();
});

it('counts each figure on its own, per brand, available meaning claimable now', async () => {
  expect(await inventory.countByStatus('stats-a', NOW)).toEqual({
    total: 20,
    available: 7,
    claimed: 6,
    expired: 7,
  });
  expect(await inventory.countByStatus('stats-b', NOW)).toEqual({
    total: 7,
    available: 7,
    claimed: 0,
    expired: 0,
  });
  expect(await inventory.countByStatus('stats-none', NOW)).toEqual({
    total: 0,
    available: 0,
    claimed: 0,
    expired: 0,
  });
});

it('sends counts only, each on an equality prefix of a hinted index, and reads no code', async () => {
  const sent = await monitored.commandsOf(() => inventory.countByStatus('stats-a', NOW));
  expect(sent.some((c) => c.name === 'find' || c.name === 'getMore')).toBe(false);
  const sorted = (list: Array<{ match: unknown; hint: unknown }>) =>
    list.map((entry) => JSON.stringify(entry)).sort();
  expect(sorted(counts(sent))).toEqual(
    sorted([
      { match: { brandId: 'stats-a' }, hint: BRAND_CODE_INDEX },
      { match: { brandId: 'stats-a', status: 'available' }, hint: BRAND_STATUS_INDEX },
      { match: { brandId: 'stats-a', status: 'claimed' }, hint: BRAND_STATUS_INDEX },
      { match: { brandId: 'stats-a', status: 'expired' }, hint: BRAND_STATUS_INDEX },
      // Unmarked expired codes: left to the planner (the brand's available codes or the sweep's backlog).
      {
        match: { brandId: 'stats-a', status: 'available', expiresAt: { $lte: NOW.toISOString() } },
        hint: undefined,
      },
    ]),
  );
});

it('counts the stored codes of a brand (BRAND_MAX_CODES) on the {brandId, code} index', async () => {
  let stored = -1;
  const sent = await monitored.commandsOf(async () => {
    stored = await inventory.countStored('stats-a');
  });
  expect(stored).toBe(20);
  expect(counts(sent)).toEqual([{ match: { brandId: 'stats-a' }, hint: BRAND_CODE_INDEX }]);
});

it('names in its hints indexes the schema declares and the server built', async () => {
  const indexes = (await model.collection.listIndexes().toArray()) as Array<{ key: unknown }>;
  const keys = indexes.map((index) => JSON.stringify(index.key));
  expect(keys).toEqual(
    expect.arrayContaining([JSON.stringify(BRAND_CODE_INDEX), JSON.stringify(BRAND_STATUS_INDEX)]),
  );
});

it('counts a status it does not know in the total only', async () => {
  await seed('stats-c', 2);
  await seed('stats-c', 3, { status: 'archived' });
  expect(await inventory.countByStatus('stats-c', NOW)).toEqual({
    total: 5,
    available: 2,
    claimed: 0,
    expired: 0,
  });
});

// A real MongoDB shows its plans; the dev server has no index-only plans to show, so there the
// test is skipped, and says so.
const onMongoDb = testStack().isFerretDb ? it.skip : it;
if (testStack().isFerretDb) {
  process.stderr.write(
    '[code-stats] SKIPPED "on MongoDB, the hinted counts read index keys only": the dev server has no ' +
      'query plans to check; run with MONGODB_URI pointing at a MongoDB to run it\n',
  );
}

onMongoDb('on MongoDB, the hinted counts read index keys only (no FETCH, no COLLSCAN)', async () => {
  for (const [match, hint] of [
    [{ brandId: 'stats-a' }, BRAND_CODE_INDEX],
    [{ brandId: 'stats-a', status: 'claimed' }, BRAND_STATUS_INDEX],
  ] as const) {
    const plan = JSON.stringify(
      await model.collection
        .aggregate([{ $match: match }, { $group: { _id: 1, n: { $sum: 1 } } }], { hint })
        .explain('queryPlanner'),
    );
    expect(plan).not.toMatch(/"(FETCH|COLLSCAN)"/);
    expect(plan).toMatch(/"(COUNT_SCAN|IXSCAN)"/);
  }
});
