import fc from 'fast-check';
import { DomainError } from './errors';
import { brandIdSchema, ID_PATTERN, userIdSchema } from './identifiers';

describe('ID_PATTERN', () => {
  it.each(['a', '1', 'acme', 'ACME-01', 'brand_1', 'u.2', 'a'.repeat(64), '0-_.'])('accepts %j', (id) => {
    expect(ID_PATTERN.test(id)).toBe(true);
    expect(brandIdSchema.safeParse(id).success).toBe(true);
    expect(userIdSchema.safeParse(id).success).toBe(true);
  });

  it.each([
    '',
    '-a',
    '_a',
    '.a',
    'a'.repeat(65),
    'a b',
    'a#b',
    '#',
    'a/b',
    'a$b',
    'a:b',
    'ä',
    'a\n',
    'a\u0000',
  ])('refuses %j', (id) => {
    expect(ID_PATTERN.test(id)).toBe(false);
    expect(brandIdSchema.safeParse(id).success).toBe(false);
  });

  it('never accepts "#" (it marks unclaimed codes) nor characters that need URL encoding', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (id) => {
        if (ID_PATTERN.test(id)) {
          expect(id).not.toContain('#');
          expect(encodeURIComponent(id)).toBe(id);
          expect(id.length).toBeLessThanOrEqual(64);
        }
      }),
    );
  });
});

describe('DomainError', () => {
  it('carries its code, message, details and its subclass name', () => {
    class SpecialError extends DomainError {}
    const error = new SpecialError('brand_not_found', 'Brand x does not exist', { brandId: 'x' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('SpecialError');
    expect(error.code).toBe('brand_not_found');
    expect(error.message).toBe('Brand x does not exist');
    expect(error.details).toEqual({ brandId: 'x' });
    expect(new DomainError('internal', 'x').name).toBe('DomainError');
  });
});
