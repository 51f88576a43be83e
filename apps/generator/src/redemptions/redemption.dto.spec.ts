import { DomainError, newRedemptionId } from '@app/contracts';
import { createValidationPipe } from '@app/http';
import { RedeemCodeRequest, RedemptionParams, ValidateCodeRequest } from './redemption.dto';

const pipe = createValidationPipe();

async function outcome(metatype: new () => object, body: unknown): Promise<string> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
    return 'accepted';
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

const redeem = (fields: Record<string, unknown>) =>
  outcome(RedeemCodeRequest, { code: 'ABCD2345', orderId: 'order-1', ...fields });

describe('RedeemCodeRequest', () => {
  it.each<[string, Record<string, unknown>]>([
    ['the least', {}],
    ['everything', { userId: 'u-1', amount: 49.9, metadata: { channel: 'web', 'store_id-2': '' } }],
    ['a Shopify order name', { orderId: '#1001' }],
    ['a gid order id', { orderId: 'gid://shopify/Order/1' }],
    ['an order id of 128 characters', { orderId: 'o'.repeat(128) }],
    ['amount 0', { amount: 0 }],
    ['no metadata entries', { metadata: {} }],
    [
      '20 metadata entries',
      { metadata: Object.fromEntries([...Array(20).keys()].map((i) => [`k${i}`, 'v'])) },
    ],
    ['a metadata value of 500 characters', { metadata: { note: 'x'.repeat(500) } }],
  ])('accepts %s', async (_what, fields) => {
    expect(await redeem(fields)).toBe('accepted');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no orderId', { orderId: undefined }, /orderId must be 1–128 visible ASCII characters/],
    ['an empty orderId', { orderId: '' }, /orderId must be/],
    ['an orderId with a space', { orderId: 'order 1' }, /orderId must be/],
    ['an orderId of 129 characters', { orderId: 'o'.repeat(129) }, /orderId must be/],
    ['a non-ASCII orderId', { orderId: 'commande-é' }, /orderId must be/],
    ['a numeric orderId', { orderId: 1001 }, /orderId must be/],
    ['an orderId a spreadsheet runs (=)', { orderId: '=1+1' }, /not starting with =, \+, - or @/],
    ['an orderId a spreadsheet runs (+)', { orderId: '+1' }, /not starting with =/],
    ['an orderId a spreadsheet runs (-)', { orderId: '-1' }, /not starting with =/],
    ['an orderId a spreadsheet runs (@)', { orderId: '@SUM(A1)' }, /not starting with =/],
    ['no code', { code: undefined }, /code must be a string of 1–64 characters/],
    ['an empty code', { code: '' }, /code must be a string of 1–64 characters/],
    ['a code of 65 characters', { code: 'C'.repeat(65) }, /code must be a string/],
    ['an operator for a code', { code: { $gt: '' } }, /code must be a string/],
    ['a bad userId', { userId: 'a#b' }, /userId must be 1–64 characters/],
    ['a negative amount', { amount: -0.01 }, /amount must be a finite number of at least 0/],
    ['an amount as a string', { amount: '10' }, /amount must be a finite number/],
    ['an infinite amount (1e400 in JSON)', { amount: Infinity }, /amount must be a finite number/],
    ['metadata as an array', { metadata: ['a'] }, /metadata must be an object of string values/],
    ['a metadata number', { metadata: { n: 1 } }, /metadata\.n must be a string/],
    ['a metadata key with a dot', { metadata: { 'a.b': 'x' } }, /metadata keys must be 1–40/],
    ['a metadata key with a $', { metadata: { $set: 'x' } }, /metadata keys must be/],
    ['a metadata key of 41 characters', { metadata: { ['k'.repeat(41)]: 'x' } }, /metadata keys must be/],
    [
      '21 metadata entries',
      { metadata: Object.fromEntries([...Array(21).keys()].map((i) => [`k${i}`, 'v'])) },
      /at most 20 entries/,
    ],
    [
      'a metadata value of 501 characters',
      { metadata: { note: 'x'.repeat(501) } },
      /metadata\.note must be at most 500/,
    ],
    ['an unknown field', { status: 'redeemed' }, /unknown field "status"/],
  ])('refuses %s with 400 invalid_input', async (_what, fields, message) => {
    const answer = await redeem(fields);
    expect(answer).toMatch(/^invalid_input: Invalid input: /);
    expect(answer).toMatch(message);
  });
});

describe('ValidateCodeRequest', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a code alone', { code: 'ABCD2345' }],
    ['a user and an order', { code: 'ABCD2345', userId: 'u-1', orderId: '#1' }],
  ])('accepts %s', async (_what, body) => {
    expect(await outcome(ValidateCodeRequest, body)).toBe('accepted');
  });

  it.each<[string, Record<string, unknown>]>([
    ['no code', {}],
    ['a bad orderId', { code: 'ABCD2345', orderId: 'a b' }],
    ['amount, which only a redemption takes', { code: 'ABCD2345', amount: 1 }],
  ])('refuses %s', async (_what, body) => {
    expect(await outcome(ValidateCodeRequest, body)).toMatch(/^invalid_input: /);
  });
});

describe('RedemptionParams', () => {
  const params = (redemptionId: unknown) => outcome(RedemptionParams, { brandId: 'acme', redemptionId });

  it('accepts a redemption id', async () => {
    expect(await params(newRedemptionId('ABCD2345'))).toBe('accepted');
  });

  it.each(['', 'ABCD2345', 'QUJD.short', 'QUJD!.' + 'x'.repeat(16)])('refuses %j', async (id) => {
    expect(await params(id)).toBe(
      'invalid_input: Invalid input: redemptionId must be the redemptionId of a redemption',
    );
  });
});
