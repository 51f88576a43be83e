/**
 * Stats per campaign (GET …/campaigns/{campaignId}/stats) and the redemption figures of every
 * stats answer, against the test stack's MongoDB: countByStatus narrowed to a campaign (null: the
 * default campaign, whose codes carry no campaignId) counts on the {brandId, campaignId, status,
 * slot} index as the brand's counts do, and countRedemptions counts codes redeemed and sums the
 * rollbacks that CodeRedemptionsRepository itself recorded. code-stats.int-spec.ts: the brand's.
 */
import { randomBytes } from 'node:crypto';
import type { Model } from 'mongoose';
import {
  availableCodes,
  BRAND_STATUS_INDEX,
  Code,
  CodeInventoryRepository,
  CodeRedemptionsRepository,
  CodeSchema,
} from '@app/persistence';
import { monitoredConnection, type MonitoredConnection } from '../support/command-monitor';

const DB_NAME = `int_campaign_stats_${randomBytes(4).toString('hex')}`;
const BRAND = 'camp-a';
const NOW = new Date();
const PAST = new Date(NOW.getTime() - 3_600_000);
const HOUR_MS = 3_600_000;

let monitored: MonitoredConnection;
let model: Model<Code>;
let inventory: CodeInventoryRepository;
let redemptions: CodeRedemptionsRepository;

/** `count` codes of the campaign (undefined: the default one) as stored, then given `fields`. */
async function seed(
  campaignId: string | undefined,
  count: number,
  fields: Record<string, unknown> = {},
): Promise<string[]> {
  const codes = availableCodes(
    Array.from({ length: count }, () => ({
      brandId: BRAND,
      campaignId,
      code: randomBytes(6).toString('hex').toUpperCase(),
      batchId: 'seed',
      createdAt: PAST,
    })),
  ).map((doc, i) => ({
    ...doc,
    ...fields,
    ...(fields.status === 'claimed' ? { claimedBy: `u-${i}`, claimedAt: PAST, holder: `u-${doc.code}` } : {}),
  }));
  await model.collection.insertMany(codes);
  return codes.map((c) => c.code);
}

async function redeem(code: string, orderId: string): Promise<string> {
  const outcome = await redemptions.redeem({ brandId: BRAND, code, orderId, now: new Date() });
  if (outcome.outcome !== 'redeemed') throw new Error(`${code} not redeemed: ${outcome.outcome}`);
  return outcome.redemption.id;
}

async function rollback(redemptionId: string): Promise<void> {
  const outcome = await redemptions.rollback(BRAND, redemptionId, new Date(), HOUR_MS);
  if (outcome.outcome !== 'rolled_back')
    throw new Error(`${redemptionId} not rolled back: ${outcome.outcome}`);
}

beforeAll(async () => {
  monitored = await monitoredConnection(DB_NAME);
  model = monitored.connection.model<Code>(Code.name, CodeSchema);
  await model.init();
  inventory = new CodeInventoryRepository(model);
  redemptions = new CodeRedemptionsRepository(model);

  await seed(undefined, 4);
  const defaultClaimed = await seed(undefined, 3, { status: 'claimed' });
  await seed('spring', 5);
  const springClaimed = await seed('spring', 4, { status: 'claimed' });
  await seed('spring', 1, { status: 'expired', expiresAt: PAST });
  await seed('fall', 2);

  await redeem(defaultClaimed[0]!, 'order-d1');
  await redeem(springClaimed[0]!, 'order-s1');
  // Redeemed, rolled back, redeemed by another order, rolled back again: two rollbacks of one code.
  await rollback(await redeem(springClaimed[1]!, 'order-s2'));
  await rollback(await redeem(springClaimed[1]!, 'order-s3'));
  await rollback(await redeem(springClaimed[2]!, 'order-s4'));
}, 60_000);

afterAll(async () => {
  await monitored?.connection.dropDatabase();
  await monitored?.connection.close();
});

it.each<[string, string | null | undefined, object, object]>([
  [
    'a campaign',
    'spring',
    { total: 10, available: 5, claimed: 3, expired: 1 },
    { redeemed: 1, rolledBack: 3 },
  ],
  [
    'another campaign',
    'fall',
    { total: 2, available: 2, claimed: 0, expired: 0 },
    { redeemed: 0, rolledBack: 0 },
  ],
  [
    'the default campaign (its codes only)',
    null,
    { total: 7, available: 4, claimed: 2, expired: 0 },
    { redeemed: 1, rolledBack: 0 },
  ],
  [
    'the whole brand (every campaign)',
    undefined,
    { total: 19, available: 11, claimed: 5, expired: 1 },
    { redeemed: 2, rolledBack: 3 },
  ],
  [
    'a campaign without codes',
    'winter',
    { total: 0, available: 0, claimed: 0, expired: 0 },
    { redeemed: 0, rolledBack: 0 },
  ],
])('counts %s', async (_name, campaignId, counts, redeemed) => {
  expect(await inventory.countByStatus(BRAND, NOW, campaignId)).toEqual(counts);
  expect(await inventory.countRedemptions(BRAND, campaignId)).toEqual(redeemed);
});

it('counts a campaign on the status index, its campaign in every filter', async () => {
  const sent = await monitored.commandsOf(async () => {
    await inventory.countByStatus(BRAND, NOW, 'spring');
    await inventory.countRedemptions(BRAND, 'spring');
  });
  const codes = sent.filter((c) => c.collection === 'codes');
  expect(codes.some((c) => c.name === 'find' || c.name === 'getMore')).toBe(false);
  for (const command of codes) {
    const match = (command.command.pipeline as Array<{ $match?: Record<string, unknown> }>)[0]!.$match!;
    expect(match).toMatchObject({ brandId: BRAND, campaignId: 'spring' });
    // Unmarked expired codes: left to the planner, as for the brand's counts.
    if (!('expiresAt' in match)) expect(command.command.hint).toEqual(BRAND_STATUS_INDEX);
  }
  // total, available, claimed, expired, unmarked expired; redeemed, rollbacks.
  expect(codes).toHaveLength(7);
});
