import { auditClaims, type ClaimAnswer, type CodeRecord } from './audit-claims';
import type { RedemptionAnswer } from './audit-redemptions';

const unclaimedHolder = (code: string) => `#${code}`;
const available = (code: string, campaignId?: string): CodeRecord => ({
  brandId: 'a',
  code,
  status: 'available',
  holder: unclaimedHolder(code),
  ...(campaignId ? { campaignId } : {}),
});
/** A code of campaign `spring` held on the user's ticket n. */
const inSpring = (code: string, userId: string, n: number): CodeRecord => ({
  brandId: 'a',
  campaignId: 'spring',
  code,
  status: 'claimed',
  holder: `${userId}#spring#${n}`,
  claimedBy: userId,
});
const redeemed = (code: string, userId: string, orderId: string, rollbacks = 0): CodeRecord => ({
  brandId: 'a',
  code,
  status: 'redeemed',
  holder: userId,
  claimedBy: userId,
  redemption: { orderId },
  rollbacks,
});
const claimed = (code: string, userId: string, rollbacks = 0): CodeRecord => ({
  brandId: 'a',
  code,
  status: 'claimed',
  holder: userId,
  claimedBy: userId,
  rollbacks,
});
const createdIn = (campaignId: string | undefined, userId: string, code: string): ClaimAnswer => ({
  brandId: 'a',
  userId,
  outcome: 'created',
  code,
  ...(campaignId ? { campaignId } : {}),
});
const answer = (
  outcome: RedemptionAnswer['outcome'],
  orderId: string,
  redemptionId?: string,
  code = 'R1',
): RedemptionAnswer => ({ brandId: 'a', code, outcome, orderId, ...(redemptionId ? { redemptionId } : {}) });

const kinds = (input: Omit<Parameters<typeof auditClaims>[0], 'unclaimedHolder'>) =>
  auditClaims({ unclaimedHolder, ...input }).violations.map((v) => v.kind);

describe('auditClaims: campaigns and per-user limits', () => {
  const spring = [
    inSpring('S1', 'u1', 0),
    inSpring('S2', 'u1', 1),
    inSpring('S3', 'u1', 2),
    available('S4', 'spring'),
  ];
  const springAnswers = ['S1', 'S2', 'S3'].map((code) => createdIn('spring', 'u1', code));

  it('allows a user as many codes of a campaign as its limit, beside one of the default campaign', () => {
    const codes = [...spring, claimed('D1', 'u1')];
    const answers = [...springAnswers, createdIn(undefined, 'u1', 'D1')];
    expect(kinds({ codes, answers, perUserLimits: { 'a/spring': 3 } })).toEqual([]);
  });

  it('reports a user above the limit, in the database and in the answers', () => {
    expect(kinds({ codes: spring, answers: springAnswers, perUserLimits: { 'a/spring': 2 } })).toEqual([
      'user_holds_two_codes',
      'repeated_new_claim',
      'user_holds_two_codes',
    ]);
  });

  it('reports a campaign code held under a holder that is no ticket of its claimant', () => {
    const forged = { ...inSpring('S1', 'u1', 0), holder: 'u2#spring#0' };
    expect(kinds({ codes: [forged], answers: [createdIn('spring', 'u1', 'S1')] })).toEqual([
      'inconsistent_document',
    ]);
  });

  it('reports an answer that names the code of another campaign', () => {
    expect(kinds({ codes: [claimed('D1', 'u1')], answers: [createdIn('spring', 'u1', 'D1')] })).toEqual([
      'answer_disagrees_with_database',
    ]);
  });
});

describe('auditClaims: redemptions', () => {
  it('counts a redeemed code as still claimed by its user', () => {
    const report = auditClaims({
      unclaimedHolder,
      codes: [redeemed('R1', 'u1', 'o-1'), available('A1')],
      answers: [createdIn(undefined, 'u1', 'R1')],
      redemptions: [
        answer('redeemed', 'o-1', 'r1'),
        answer('refused', 'o-2'),
        answer('replayed', 'o-1', 'r1'),
      ],
    });
    expect(report.violations).toEqual([]);
    expect(report.totals).toMatchObject({ total: 2, available: 1, claimed: 0, redeemed: 1, newClaims: 1 });
  });

  it('reports two redemptions told "redeemed" with no rollback between them', () => {
    const codes = [redeemed('R1', 'u1', 'o-1')];
    const redemptions = [answer('redeemed', 'o-1', 'r1'), answer('redeemed', 'o-2', 'r2')];
    expect(kinds({ codes, answers: [], claimedBefore: { a: 1 }, redemptions })).toEqual([
      'code_redeemed_twice',
    ]);
  });

  it('accepts a second redemption after a rollback of the first', () => {
    const codes = [redeemed('R1', 'u1', 'o-2', 1)];
    const redemptions = [
      answer('redeemed', 'o-1', 'r1'),
      answer('rolled_back', 'o-1', 'r1'),
      answer('redeemed', 'o-2', 'r2'),
    ];
    expect(kinds({ codes, answers: [], claimedBefore: { a: 1 }, redemptions })).toEqual([]);
  });

  it('reports a redemption the database lost, and a rollback it did not count', () => {
    const redemptions = [answer('redeemed', 'o-1', 'r1')];
    expect(
      kinds({ codes: [claimed('R1', 'u1')], answers: [], claimedBefore: { a: 1 }, redemptions }),
    ).toEqual(['redemption_disagrees_with_database']);
    const rolledBack = [...redemptions, answer('rolled_back', 'o-1', 'r1')];
    expect(
      kinds({
        codes: [claimed('R1', 'u1', 0)],
        answers: [],
        claimedBefore: { a: 1 },
        redemptions: rolledBack,
      }),
    ).toEqual(['redemption_disagrees_with_database']);
  });

  it('reports a code stored redeemed by an order no answer named', () => {
    const codes = [redeemed('R1', 'u1', 'o-9')];
    expect(
      kinds({ codes, answers: [], claimedBefore: { a: 1 }, redemptions: [answer('replayed', 'o-1', 'r1')] }),
    ).toEqual(['redemption_disagrees_with_database']);
  });

  it('reports documents whose status and redemption contradict each other', () => {
    const codes = [
      { ...claimed('C1', 'u1'), redemption: { orderId: 'o-1' } },
      { ...redeemed('C2', 'u2', 'o-2'), redemption: null },
    ];
    expect(kinds({ codes, answers: [], claimedBefore: { a: 2 } })).toEqual([
      'inconsistent_document',
      'inconsistent_document',
    ]);
  });
});
