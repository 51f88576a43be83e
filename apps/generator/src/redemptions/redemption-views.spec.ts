import type { CodeRedemption, RedeemableCode } from '@app/persistence';
import {
  findRedemption,
  toRedemptionResponse,
  toValidationResponse,
  unknownCodeValidation,
} from './redemption-views';

const redeemedAt = new Date('2030-01-01T10:00:00.000Z');
const rolledBackAt = new Date('2030-01-02T10:00:00.000Z');
const current: CodeRedemption = { id: 'r2', orderId: '#2', redeemedAt };
const past: CodeRedemption = {
  id: 'r1',
  orderId: '#1',
  userId: 'u-1',
  amount: 10,
  metadata: { channel: 'web' },
  redeemedAt,
  rolledBackAt,
};
const code: RedeemableCode = {
  brandId: 'acme',
  code: 'ABCD2345',
  status: 'redeemed',
  claimedBy: 'u-1',
  redemption: current,
  rolledBack: [past],
};

describe('toRedemptionResponse', () => {
  it('answers absent fields as null and the default campaign by its id', () => {
    expect(toRedemptionResponse(code, current)).toStrictEqual({
      redemptionId: 'r2',
      brandId: 'acme',
      campaignId: 'default',
      code: 'ABCD2345',
      orderId: '#2',
      userId: null,
      amount: null,
      metadata: null,
      redeemedAt: '2030-01-01T10:00:00.000Z',
      rolledBackAt: null,
      status: 'redeemed',
    });
  });

  it('answers a rolled-back redemption as rolled_back, in its campaign', () => {
    expect(toRedemptionResponse({ ...code, campaignId: 'spring' }, past)).toMatchObject({
      campaignId: 'spring',
      userId: 'u-1',
      amount: 10,
      metadata: { channel: 'web' },
      rolledBackAt: '2030-01-02T10:00:00.000Z',
      status: 'rolled_back',
    });
  });
});

describe('toValidationResponse', () => {
  it('shows a redeemed code with its holder and its current redemption', () => {
    expect(toValidationResponse(code, 'already_redeemed')).toStrictEqual({
      valid: false,
      reason: 'already_redeemed',
      code: 'ABCD2345',
      campaignId: 'default',
      status: 'redeemed',
      claimedBy: 'u-1',
      expiresAt: null,
      redemption: toRedemptionResponse(code, current),
    });
  });

  it('shows an available code without holder or redemption', () => {
    const expiresAt = new Date('2031-01-01T00:00:00.000Z');
    expect(
      toValidationResponse({ brandId: 'acme', code: 'X', status: 'available', expiresAt }, 'not_claimed'),
    ).toStrictEqual({
      valid: false,
      reason: 'not_claimed',
      code: 'X',
      campaignId: 'default',
      status: 'available',
      expiresAt: '2031-01-01T00:00:00.000Z',
    });
  });

  it('is valid without a reason', () => {
    expect(toValidationResponse({ ...code, status: 'claimed', redemption: undefined }, null)).toMatchObject({
      valid: true,
      reason: null,
      status: 'claimed',
    });
  });

  it('answers an unknown code with nulls', () => {
    expect(unknownCodeValidation('NOPE')).toStrictEqual({
      valid: false,
      reason: 'unknown_code',
      code: 'NOPE',
      campaignId: null,
      status: null,
      expiresAt: null,
    });
  });
});

describe('findRedemption', () => {
  it('finds the current redemption and the rolled-back ones, nothing else', () => {
    expect(findRedemption(code, 'r2')).toBe(current);
    expect(findRedemption(code, 'r1')).toBe(past);
    expect(findRedemption(code, 'r3')).toBeNull();
    // A rolled-back code keeps no current redemption: an id matching a stale field is not it.
    expect(findRedemption({ ...code, status: 'claimed' }, 'r2')).toBeNull();
  });
});
