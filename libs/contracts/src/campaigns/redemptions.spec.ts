import { codeOfRedemptionId, newRedemptionId } from './redemptions';

describe('redemption ids', () => {
  it.each(['7U7I845L', 'SALE-0001', 'ÄÖÜ-ünïcode', 'a'.repeat(64)])('name their code %s', (code) => {
    const id = newRedemptionId(code);
    expect(id).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(codeOfRedemptionId(id)).toBe(code);
  });

  it('are different for each redemption of one code', () => {
    expect(newRedemptionId('X')).not.toBe(newRedemptionId('X'));
  });

  it.each([
    '',
    'abc',
    'abc.short',
    'QUJD.' + 'x'.repeat(17),
    'QUJD!.' + 'x'.repeat(16),
    'QUJDx.' + 'x'.repeat(16),
  ])('refuse %j', (id) => {
    expect(codeOfRedemptionId(id)).toBeNull();
  });
});
