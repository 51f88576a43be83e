/**
 * Redemptions under contention, through real sockets: 50 orders for one code, redemptions sent
 * across the code's expiry, a rollback racing new redemptions. Each is decided from the answers
 * and the stored code, never from timing, and followed by the claim audit (redemptions included).
 */
import type { ClaimAnswer, RedemptionAnswer } from '../support/claim-audit';
import { auditAnswer, expectCleanAudit } from './support/claims';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { statusCounts } from './support/flows';
import {
  at,
  brandApi,
  brandWithCodes,
  claimedCode,
  claimNew,
  codeDoc,
  redemptionAnswer,
  refusalOf,
  rollbackAnswer,
} from './support/redemptions';

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({ label: 'redemption-races', generatorEnv: { DEV_OPEN_BRAND_API: undefined } });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('redemption races', () => {
  it('50 orders redeem one code at once: exactly one 201, 49 × 409 already_redeemed', async () => {
    const { api, claims } = await claimedCode(stack, 'race50', 'RACE-50', 'r-1');
    const orders = Array.from({ length: 50 }, (_, i) => `order-${i}`);
    const answers = await Promise.all(
      orders.map((orderId) => api.redeem({ code: 'RACE-50', userId: 'r-1', orderId })),
    );

    expect(statusCounts(answers)).toEqual({ 201: 1, 409: 49 });
    for (const res of answers.filter((a) => a.status === 409)) {
      expect(refusalOf(res)).toEqual({
        status: 409,
        error: 'code_not_redeemable',
        reason: 'already_redeemed',
      });
    }
    const winner = answers.findIndex((a) => a.status === 201);
    expect(await codeDoc(stack, 'race50', 'RACE-50')).toMatchObject({
      status: 'redeemed',
      redemption: { id: answers[winner]!.body.redemptionId, orderId: orders[winner] },
    });
    // Each order asking again: the winner gets its redemption back, the others the same refusal.
    const again = await Promise.all(orders.map((orderId) => api.redeem({ code: 'RACE-50', orderId })));
    expect(statusCounts(again)).toEqual({ 200: 1, 409: 49 });
    expect(again[winner]!.body).toStrictEqual(answers[winner]!.body);
    const audited = [...answers, ...again].map((a, i) =>
      redemptionAnswer('race50', 'RACE-50', orders[i % 50]!, a),
    );
    await expectCleanAudit(await stack.db(), 'race50', 1, claims, { redemptions: audited });
  }, 300_000);

  it('bursts of redemptions sent across their codes’ expiry: a winner redeemed before it, the rest agree', async () => {
    // 16 codes expiring together, far enough ahead for the import and the claims on a busy
    // machine. Code i gets a burst of 3 redemptions sent at expiresAt + (i − 12) × 8 ms: the early
    // bursts land before the expiry, the late ones after it, and those in between on either side.
    const CODES = 16;
    const expiresAt = Date.now() + 6_000;
    const codes = Array.from({ length: CODES }, (_, i) => ({
      code: `EXP-${String(i).padStart(2, '0')}`,
      expiresAt: new Date(expiresAt).toISOString(),
    }));
    const brand = await brandWithCodes(stack, 'race-exp', codes);
    const api = brandApi(stack, brand);
    const users = codes.map((_, i) => `x-${i}`);
    const claimed = await Promise.all(users.map((u) => claimNew(stack, 'race-exp', u)));
    const claims = claimed.map((c, i) => auditAnswer('race-exp', users[i]!, c));
    expect(Date.now()).toBeLessThan(expiresAt - 100);

    const bursts = await Promise.all(
      claimed.map(async (c, i) => {
        const code = c.body.code;
        await at(expiresAt + (i - 12) * 8);
        const sentAt = Date.now();
        const orders = [0, 1, 2].map((n) => `exp-${i}-${n}`);
        const answers = await Promise.all(
          orders.map((orderId) => api.redeem({ code, userId: users[i], orderId })),
        );
        return { code, sentAt, orders, answers, doc: await codeDoc(stack, 'race-exp', code) };
      }),
    );

    const endings: string[] = [];
    for (const { code, sentAt, answers, doc } of bursts) {
      const winners = answers.filter((a) => a.status === 201);
      expect(winners.length).toBeLessThanOrEqual(1);
      for (const lost of answers.filter((a) => a.status !== 201)) {
        // already_redeemed only beside a winner; expired otherwise.
        expect(refusalOf(lost)).toEqual({
          status: 409,
          error: 'code_not_redeemable',
          reason:
            winners.length === 1
              ? (expect.stringMatching(/^(already_redeemed|expired)$/) as unknown)
              : 'expired',
        });
      }
      // A burst sent after the expiry cannot redeem (the server's clock is the test's).
      if (sentAt > expiresAt) expect(winners).toHaveLength(0);
      if (winners.length === 1) {
        const won = winners[0]!.body;
        expect(Date.parse(won.redeemedAt)).toBeLessThan(expiresAt);
        expect(doc).toMatchObject({
          status: 'redeemed',
          redemption: { id: won.redemptionId, orderId: won.orderId },
        });
        expect((doc!.redemption as { redeemedAt: Date }).redeemedAt.getTime()).toBeLessThan(expiresAt);
        endings.push(`${code}: redeemed ${expiresAt - Date.parse(won.redeemedAt)} ms before`);
      } else {
        expect(doc).toMatchObject({ status: 'claimed', code });
        expect(doc).not.toHaveProperty('redemption');
        endings.push(`${code}: expired (sent ${sentAt - expiresAt} ms after)`);
      }
    }
    process.stderr.write(`[redemptions] across the expiry: ${endings.join('; ')}\n`);
    const audited = bursts.flatMap(({ code, orders, answers }) =>
      answers.map((a, n) => redemptionAnswer('race-exp', code, orders[n]!, a)),
    );
    await expectCleanAudit(await stack.db(), 'race-exp', CODES, claims, { redemptions: audited });
  }, 120_000);

  it('a rollback racing new redemptions: the code ends redeemed by the one winner, or claimed', async () => {
    const codes = Array.from({ length: 8 }, (_, i) => `RB-${i}`);
    const brand = await brandWithCodes(stack, 'race-rb', codes);
    const api = brandApi(stack, brand);
    const claims: ClaimAnswer[] = [];
    const audited: RedemptionAnswer[] = [];
    const endings: string[] = [];
    for (let round = 0; round < codes.length; round++) {
      const userId = `rb-${round}`;
      const claimed = await claimNew(stack, 'race-rb', userId);
      claims.push(auditAnswer('race-rb', userId, claimed));
      const code = claimed.body.code;
      const first = await api.redeem({ code, orderId: `A-${round}` });
      expect(first.status).toBe(201);
      audited.push(redemptionAnswer('race-rb', code, `A-${round}`, first));

      const orders = [1, 2, 3].map((n) => `B${n}-${round}`);
      // The rollback goes out from 8 ms before the redemptions to 20 ms after them, by round, so
      // that both orders of arrival occur; the checks below hold for either.
      const start = Date.now() + 20;
      const [rolledBack, ...seconds] = await Promise.all([
        at(start + (round - 2) * 4).then(() => api.rollback(first.body.redemptionId)),
        ...orders.map((orderId) => at(start).then(() => api.redeem({ code, userId, orderId }))),
      ]);
      audited.push(rollbackAnswer('race-rb', code, rolledBack));
      seconds.forEach((res, i) => audited.push(redemptionAnswer('race-rb', code, orders[i]!, res)));

      // The rollback always applies: no second redemption can land while the first stands.
      expect(rolledBack.status).toBe(200);
      const won = seconds.filter((s) => s.status === 201);
      expect(won.length).toBeLessThanOrEqual(1);
      for (const lost of seconds.filter((s) => s.status !== 201)) {
        expect(refusalOf(lost)).toEqual({
          status: 409,
          error: 'code_not_redeemable',
          reason: 'already_redeemed',
        });
      }
      const doc = await codeDoc(stack, 'race-rb', code);
      expect(doc).toMatchObject({
        claimedBy: userId,
        rollbacks: 1,
        rolledBack: [{ id: first.body.redemptionId }],
      });
      if (won.length === 1) {
        expect(doc).toMatchObject({ status: 'redeemed', redemption: { id: won[0]!.body.redemptionId } });
        endings.push('redeemed again');
      } else {
        expect(doc!.status).toBe('claimed');
        expect(doc).not.toHaveProperty('redemption');
        endings.push('claimed');
      }
    }
    process.stderr.write(`[redemptions] rollback races ended: ${endings.join(', ')}\n`);
    await expectCleanAudit(await stack.db(), 'race-rb', codes.length, claims, { redemptions: audited });
  }, 300_000);
});
