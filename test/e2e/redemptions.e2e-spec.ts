/**
 * Redemption and rollback at a brand's checkout, through real sockets: redemptions idempotent by
 * order, every refusal, rollbacks within their window, keys of other brands, Idempotency-Key and
 * OpenAPI. Validations are redemption-validations.e2e-spec.ts, the races redemption-races.e2e-spec.ts.
 */
import { newRedemptionId } from '@app/contracts';
import type { ClaimAnswer, RedemptionAnswer } from '../support/claim-audit';
import { auditAnswer, expectCleanAudit } from './support/claims';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { createBrand } from './support/flows';
import { client, type CreatedBrand } from './support/http';
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
  rollbackAnswer,
  type BrandApi,
  type Redemption,
} from './support/redemptions';

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let stack: E2eStack;
let other: CreatedBrand;

beforeAll(async () => {
  stack = await startE2eStack({ label: 'redemptions', generatorEnv: { DEV_OPEN_BRAND_API: undefined } });
  other = await createBrand(stack, { id: 'other', name: 'Other' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const codesOf = (brandId: string) => lifeOfCodes(stack, brandId);
const codeDoc = (brandId: string, code: string) => codeDocIn(stack, brandId, code);
const claimedCode = (brandId: string, code: string, userId: string) =>
  claimedCodeIn(stack, brandId, code, userId);

describe('redemptions', () => {
  let api: BrandApi;
  let redemption: Redemption;
  const claims: ClaimAnswer[] = [];
  const audited: RedemptionAnswer[] = [];

  beforeAll(async () => {
    const brand = await brandWithCodes(stack, 'shop', ['SHOP-1', 'SHOP-2', 'SHOP-3']);
    api = brandApi(stack, brand);
    for (const userId of ['s-1', 's-2'])
      claims.push(auditAnswer('shop', userId, await claimNew(stack, 'shop', userId)));
  }, 60_000);

  const codeOfUser = (userId: string) => claims.find((c) => c.userId === userId)!.code!;
  async function send(body: { code: string; orderId: string } & Record<string, unknown>) {
    const res = await api.redeem(body);
    audited.push(redemptionAnswer('shop', body.code, body.orderId, res));
    return res;
  }

  it('redeems a claimed code with its order (201), stored in one write with the order', async () => {
    const code = codeOfUser('s-1');
    const res = await send({
      code,
      userId: 's-1',
      orderId: '#1001',
      amount: 49.9,
      metadata: { channel: 'web' },
    });
    expect(res.status).toBe(201);
    redemption = res.body;
    expect(redemption).toStrictEqual({
      redemptionId: expect.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/) as unknown,
      brandId: 'shop',
      campaignId: 'default',
      code,
      orderId: '#1001',
      userId: 's-1',
      amount: 49.9,
      metadata: { channel: 'web' },
      redeemedAt: expect.stringMatching(ISO_DATE) as unknown,
      rolledBackAt: null,
      status: 'redeemed',
    });
    expect(await codeDoc('shop', code)).toMatchObject({
      status: 'redeemed',
      claimedBy: 's-1',
      redemption: { id: redemption.redemptionId, orderId: '#1001', amount: 49.9 },
    });
    const read = await api.get(redemption.redemptionId);
    expect(read.status).toBe(200);
    expect(read.body).toStrictEqual(redemption);
  });

  it('answers the same order again with the same redemption (200), whatever else it sends', async () => {
    for (const body of [
      { code: redemption.code, userId: 's-1', orderId: '#1001', amount: 49.9, metadata: { channel: 'web' } },
      { code: redemption.code, orderId: '#1001', amount: 1 },
    ]) {
      const res = await send(body);
      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual(redemption);
    }
  });

  it('refuses what cannot be redeemed, naming the reason, changing nothing', async () => {
    const before = await codesOf('shop');
    const unknown = await send({ code: 'NO-SUCH', orderId: 'x-1' });
    expect(refusalOf(unknown)).toEqual({ status: 404, error: 'code_not_found', reason: 'unknown_code' });
    const other2 = codeOfUser('s-2');
    const unclaimed = ['SHOP-1', 'SHOP-2', 'SHOP-3'].find((c) => !claims.some((claim) => claim.code === c))!;
    const cases: Array<[Record<string, unknown> & { code: string; orderId: string }, string]> = [
      [{ code: redemption.code, orderId: '#1002' }, 'already_redeemed'],
      [{ code: redemption.code, userId: 's-1', orderId: '#1002' }, 'already_redeemed'],
      [{ code: other2, userId: 's-1', orderId: '#1003' }, 'claimed_by_other'],
      [{ code: unclaimed, orderId: '#1004' }, 'not_claimed'],
    ];
    for (const [body, reason] of cases) {
      const res = await send(body);
      expect(refusalOf(res)).toEqual({ status: 409, error: 'code_not_redeemable', reason });
      expect(res.body.message).toContain(`cannot be redeemed: ${reason}`);
    }
    expect(await codesOf('shop')).toStrictEqual(before);
  });

  it('refuses bad input with 400 invalid_input, changing nothing', async () => {
    const before = await codesOf('shop');
    const code = codeOfUser('s-2');
    for (const body of [
      { code },
      { code, orderId: 'has space' },
      { code, orderId: 'o'.repeat(129) },
      { code, orderId: 'o-1', amount: -1 },
      { code, orderId: 'o-1', amount: '5' },
      { code, orderId: 'o-1', metadata: { 'a.b': 'x' } },
      {
        code,
        orderId: 'o-1',
        metadata: Object.fromEntries([...Array(21).keys()].map((i) => [`k${i}`, 'v'])),
      },
      { code, orderId: 'o-1', status: 'redeemed' },
    ]) {
      const res = await api.redeem(body);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'invalid_input' });
    }
    expect((await api.validate({ code, orderId: 'a b' })).status).toBe(400);
    expect(await codesOf('shop')).toStrictEqual(before);
  });

  it('redeems whoever holds the code when no userId is given, and passes the audit', async () => {
    const res = await send({ code: codeOfUser('s-2'), orderId: '#2001' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId: null, amount: null, metadata: null });
    expect(await codeDoc('shop', codeOfUser('s-2'))).toMatchObject({ status: 'redeemed', claimedBy: 's-2' });
    await expectCleanAudit(await stack.db(), 'shop', 3, claims, { redemptions: audited });
  });

  it('keeps every route to the brand: another brand’s key is 403, an unknown brand 404', async () => {
    const otherKey = { token: other.apiKey };
    const paths = [
      ['post', '/v1/brands/shop/validations', { code: redemption.code }],
      ['post', '/v1/brands/shop/redemptions', { code: redemption.code, orderId: 'z' }],
      ['get', `/v1/brands/shop/redemptions/${redemption.redemptionId}`, undefined],
      ['post', `/v1/brands/shop/redemptions/${redemption.redemptionId}/rollback`, undefined],
    ] as const;
    for (const [method, path, body] of paths) {
      const res =
        method === 'get' ? await stack.gen.get(path, otherKey) : await stack.gen.post(path, body, otherKey);
      expect({ path, status: res.status, error: res.body.error }).toEqual({
        path,
        status: 403,
        error: 'forbidden',
      });
      const missing = path.replace('/brands/shop/', '/brands/nobody/');
      const res404 =
        method === 'get' ? await stack.genAdmin.get(missing) : await stack.genAdmin.post(missing, body);
      expect({ path, status: res404.status, error: res404.body.error }).toEqual({
        path,
        status: 404,
        error: 'brand_not_found',
      });
    }
    expect((await api.get(redemption.redemptionId)).body).toStrictEqual(redemption);
  });
});

describe('rollbacks', () => {
  it('returns the code to its holder, answers a repeat the same, and lets the order redeem again', async () => {
    const { api, claims } = await claimedCode('undo', 'UNDO-1', 'u-1');
    const audited: RedemptionAnswer[] = [];
    const redeemed = await api.redeem({ code: 'UNDO-1', userId: 'u-1', orderId: 'A' });
    audited.push(redemptionAnswer('undo', 'UNDO-1', 'A', redeemed));
    const id = redeemed.body.redemptionId;

    const rolledBack = await api.rollback(id);
    audited.push(rollbackAnswer('undo', 'UNDO-1', rolledBack));
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toStrictEqual({
      ...redeemed.body,
      rolledBackAt: expect.stringMatching(ISO_DATE) as unknown,
      status: 'rolled_back',
    });
    const doc = await codeDoc('undo', 'UNDO-1');
    expect(doc).toMatchObject({ status: 'claimed', claimedBy: 'u-1', holder: 'u-1', rollbacks: 1 });
    expect(doc).not.toHaveProperty('redemption');
    const again = await api.rollback(id);
    expect({ status: again.status, body: again.body }).toStrictEqual({ status: 200, body: rolledBack.body });
    expect((await api.get(id)).body).toStrictEqual(rolledBack.body);
    expect((await api.validate({ code: 'UNDO-1', userId: 'u-1' })).body).toMatchObject({ valid: true });

    // The order placed again: a new redemption, the old one kept as rolled back.
    const redeemedAgain = await api.redeem({ code: 'UNDO-1', userId: 'u-1', orderId: 'A' });
    audited.push(redemptionAnswer('undo', 'UNDO-1', 'A', redeemedAgain));
    expect(redeemedAgain.status).toBe(201);
    expect(redeemedAgain.body.redemptionId).not.toBe(id);
    expect((await api.get(id)).body.status).toBe('rolled_back');
    await expectCleanAudit(await stack.db(), 'undo', 1, claims, { redemptions: audited });
  });

  it('answers 404 redemption_not_found for an unknown id or another brand’s, 400 for a malformed one', async () => {
    const { api } = await claimedCode('undo-404', 'SAME-CODE', 'n-1');
    const theirs = await claimedCode('undo-404b', 'SAME-CODE', 'n-2');
    const redeemed = await theirs.api.redeem({ code: 'SAME-CODE', orderId: 'B' });
    expect(redeemed.status).toBe(201);
    for (const id of [redeemed.body.redemptionId, newRedemptionId('SAME-CODE'), newRedemptionId('NO-SUCH')]) {
      for (const res of [await api.rollback(id), await api.get(id)]) {
        expect({ status: res.status, error: res.body.error }).toEqual({
          status: 404,
          error: 'redemption_not_found',
        });
      }
    }
    const malformed = await api.rollback('not-a-redemption');
    expect({ status: malformed.status, error: malformed.body.error }).toEqual({
      status: 400,
      error: 'invalid_input',
    });
    expect((await codeDoc('undo-404b', 'SAME-CODE'))?.status).toBe('redeemed');
  });

  it('refuses a rollback after REDEMPTION_ROLLBACK_WINDOW_SECONDS with 409 rollback_window_passed', async () => {
    const { brand, api } = await claimedCode('undo-late', 'LATE-1', 'l-1');
    // A second generator on the same database whose window is one second.
    const short = await stack.startExtra('generator', { REDEMPTION_ROLLBACK_WINDOW_SECONDS: '1' });
    const shortApi = client(short.url, { token: brand.apiKey });
    const redeemed = await api.redeem({ code: 'LATE-1', orderId: 'L' });
    expect(redeemed.status).toBe(201);
    await at(Date.parse(redeemed.body.redeemedAt) + 1_001);

    const late = await shortApi.post<Redemption & { error: string; details: Record<string, unknown> }>(
      `/v1/brands/undo-late/redemptions/${redeemed.body.redemptionId}/rollback`,
    );
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      error: 'rollback_window_passed',
      details: { redeemedAt: redeemed.body.redeemedAt, rollbackWindowSeconds: 1 },
    });
    expect((await codeDoc('undo-late', 'LATE-1'))?.status).toBe('redeemed');
    // Within the default window (30 days) the same redemption rolls back.
    expect((await api.rollback(redeemed.body.redemptionId)).status).toBe(200);
  });
});

describe('Idempotency-Key and OpenAPI', () => {
  it('replays a redemption’s first answer for the same Idempotency-Key, without redeeming again', async () => {
    const { brand } = await claimedCode('idem', 'IDEM-1', 'i-1');
    const send = () =>
      stack.gen.post<Redemption>(
        '/v1/brands/idem/redemptions',
        { code: 'IDEM-1', orderId: 'I' },
        { token: brand.apiKey, headers: { 'idempotency-key': 'checkout-I' } },
      );
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect({ status: again.status, body: again.body }).toStrictEqual({ status: 201, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('documents the routes, their bodies and the Idempotency-Key of the redemption', async () => {
    type Operation = { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> };
    const doc = (await stack.gen.get<{ paths: Record<string, Record<string, Operation>> }>('/docs/json'))
      .body;
    const base = '/v1/brands/{brandId}';
    expect(Object.keys(doc.paths[`${base}/validations`] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths[`${base}/redemptions`] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths[`${base}/redemptions/{redemptionId}`] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths[`${base}/redemptions/{redemptionId}/rollback`] ?? {})).toEqual(['post']);
    const redeem = doc.paths[`${base}/redemptions`]!.post!;
    expect(redeem.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')).toBe(true);
    expect(Object.keys(redeem.responses)).toEqual(
      expect.arrayContaining(['200', '201', '400', '403', '404', '409']),
    );
  });
});
