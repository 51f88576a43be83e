/**
 * Validations at a brand's checkout, through real sockets: every reason a code cannot be redeemed
 * now, answered without changing anything, and the redemption refused for the same reason.
 */
import { auditAnswer, expectCleanAudit } from './support/claims';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import {
  at,
  brandApi,
  brandWithCodes,
  claimedCode as claimedCodeIn,
  claimNew,
  codeDoc as codeDocIn,
  lifeOfCodes,
  redemptionAnswer,
  refusalOf,
} from './support/redemptions';

const DAY_MS = 86_400_000;

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'redemption-validations',
    generatorEnv: { DEV_OPEN_BRAND_API: undefined },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const codesOf = (brandId: string) => lifeOfCodes(stack, brandId);
const codeDoc = (brandId: string, code: string) => codeDocIn(stack, brandId, code);
const claimedCode = (brandId: string, code: string, userId: string) =>
  claimedCodeIn(stack, brandId, code, userId);

describe('validations', () => {
  it('answers every reason, and valid, changing nothing', async () => {
    const brand = await brandWithCodes(stack, 'val', ['VAL-A', 'VAL-B', 'VAL-C']);
    const api = brandApi(stack, brand);
    const first = await claimNew(stack, 'val', 'v-1');
    const second = await claimNew(stack, 'val', 'v-2');
    const held = first.body.code;
    const redeemed = second.body.code;
    const available = ['VAL-A', 'VAL-B', 'VAL-C'].find((c) => c !== held && c !== redeemed)!;
    expect((await api.redeem({ code: redeemed, orderId: '#900' })).status).toBe(201);
    const before = await codesOf('val');

    const answers = {
      valid: await api.validate({ code: held, userId: 'v-1', orderId: '#1' }),
      validForAnyone: await api.validate({ code: held }),
      unknown: await api.validate({ code: 'NO-SUCH-CODE' }),
      notClaimed: await api.validate({ code: available }),
      claimedByOther: await api.validate({ code: held, userId: 'v-9' }),
      alreadyRedeemed: await api.validate({ code: redeemed }),
      sameOrder: await api.validate({ code: redeemed, orderId: '#900' }),
    };
    for (const res of Object.values(answers)) expect(res.status).toBe(200);
    expect(answers.valid.body).toStrictEqual({
      valid: true,
      reason: null,
      code: held,
      campaignId: 'default',
      status: 'claimed',
      claimedBy: 'v-1',
      expiresAt: null,
    });
    expect(answers.validForAnyone.body).toStrictEqual(answers.valid.body);
    expect(answers.unknown.body).toStrictEqual({
      valid: false,
      reason: 'unknown_code',
      code: 'NO-SUCH-CODE',
      campaignId: null,
      status: null,
      expiresAt: null,
    });
    expect(answers.notClaimed.body).toMatchObject({
      valid: false,
      reason: 'not_claimed',
      status: 'available',
    });
    expect(answers.notClaimed.body).not.toHaveProperty('claimedBy');
    expect(answers.claimedByOther.body).toMatchObject({
      valid: false,
      reason: 'claimed_by_other',
      claimedBy: 'v-1',
    });
    // The order that redeemed the code learns the same as anyone: it cannot be redeemed again.
    for (const res of [answers.alreadyRedeemed, answers.sameOrder]) {
      expect(res.body).toMatchObject({
        valid: false,
        reason: 'already_redeemed',
        status: 'redeemed',
        claimedBy: 'v-2',
        redemption: { orderId: '#900', status: 'redeemed', rolledBackAt: null },
      });
    }
    expect(await codesOf('val')).toStrictEqual(before);
  });

  it('answers expired once a claimed code has passed its expiry, and refuses its redemption', async () => {
    const expiresAt = Date.now() + 3_000;
    const brand = await brandWithCodes(stack, 'val-exp', [
      { code: 'EXP-1', expiresAt: new Date(expiresAt).toISOString() },
    ]);
    const claimed = await claimNew(stack, 'val-exp', 'e-1');
    const api = brandApi(stack, brand);
    await at(expiresAt + 1);
    expect((await api.validate({ code: 'EXP-1', userId: 'e-1' })).body).toMatchObject({
      valid: false,
      reason: 'expired',
      status: 'claimed',
      expiresAt: new Date(expiresAt).toISOString(),
    });
    const res = await api.redeem({ code: 'EXP-1', userId: 'e-1', orderId: 'late' });
    expect(refusalOf(res)).toEqual({ status: 409, error: 'code_not_redeemable', reason: 'expired' });
    expect(res.body.message).toMatch(/cannot be redeemed: expired/);
    await expectCleanAudit(await stack.db(), 'val-exp', 1, [auditAnswer('val-exp', 'e-1', claimed)], {
      redemptions: [redemptionAnswer('val-exp', 'EXP-1', 'late', res)],
    });
  });

  it('answers campaign_not_active outside the campaign’s dates, before anything about the code', async () => {
    const { api } = await claimedCode('camp', 'CAMP-1', 'c-1');
    const db = await stack.db();
    // Stored as the campaigns feature stores them (its routes are another feature's).
    const now = Date.now();
    await db.collection('campaigns').insertOne({
      brandId: 'camp',
      campaignId: 'spring',
      name: 'Spring',
      startsAt: new Date(now - 2 * DAY_MS),
      endsAt: new Date(now - DAY_MS),
      perUserLimit: 1,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    });
    await db
      .collection('codes')
      .updateOne({ brandId: 'camp', code: 'CAMP-1' }, { $set: { campaignId: 'spring' } });
    const setEnd = (endsAt: number) =>
      db
        .collection('campaigns')
        .updateOne({ brandId: 'camp', campaignId: 'spring' }, { $set: { endsAt: new Date(endsAt) } });

    for (const userId of ['c-1', 'c-9']) {
      expect((await api.validate({ code: 'CAMP-1', userId })).body).toMatchObject({
        valid: false,
        reason: 'campaign_not_active',
        campaignId: 'spring',
      });
    }
    const refused = await api.redeem({ code: 'CAMP-1', orderId: 'o-1' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'campaign_not_active',
      details: {
        reason: 'campaign_not_active',
        campaignId: 'spring',
        endsAt: new Date(now - DAY_MS).toISOString(),
      },
    });
    expect((await codeDoc('camp', 'CAMP-1'))?.status).toBe('claimed');

    await setEnd(now + DAY_MS);
    expect((await api.validate({ code: 'CAMP-1' })).body).toMatchObject({
      valid: true,
      campaignId: 'spring',
    });
    const redeemed = await api.redeem({ code: 'CAMP-1', orderId: 'o-1' });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body.campaignId).toBe('spring');
    // What an order did stays answered once the campaign has ended.
    await setEnd(now - DAY_MS);
    const replay = await api.redeem({ code: 'CAMP-1', orderId: 'o-1' });
    expect(replay.status).toBe(200);
    expect(replay.body).toStrictEqual(redeemed.body);
  });
});
