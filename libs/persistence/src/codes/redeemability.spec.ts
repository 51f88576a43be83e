import { redemptionRefusal, type RedeemableView } from './redeemability';

const now = new Date('2026-12-07T12:00:00Z');
const claimed: RedeemableView = { status: 'claimed', claimedBy: 'alice' };

describe('redemptionRefusal', () => {
  it.each<[string, RedeemableView | null, string | undefined, string | null]>([
    ['a claimed code, by its holder', claimed, 'alice', null],
    ['a claimed code, no user given', claimed, undefined, null],
    ['an unknown code', null, 'alice', 'unknown_code'],
    ['an available code', { status: 'available' }, 'alice', 'not_claimed'],
    ['a code the sweeper expired', { status: 'expired' }, undefined, 'expired'],
    ['someone else’s code', claimed, 'bob', 'claimed_by_other'],
    ['a claimed code past its expiry', { ...claimed, expiresAt: now }, 'alice', 'expired'],
    [
      'a claimed code before its expiry',
      { ...claimed, expiresAt: new Date(now.getTime() + 1) },
      'alice',
      null,
    ],
    [
      'a redeemed code',
      { ...claimed, status: 'redeemed', redemption: { orderId: 'o-1' } },
      'bob',
      'already_redeemed',
    ],
    ['someone else’s expired code', { ...claimed, expiresAt: new Date(0) }, 'bob', 'claimed_by_other'],
  ])('%s', (_, code, userId, refusal) => {
    expect(redemptionRefusal(code, { now, ...(userId !== undefined ? { userId } : {}) })).toBe(refusal);
  });
});
