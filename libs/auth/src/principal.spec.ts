import { DomainError } from '@app/contracts';
import { assertCanActOnBrand, type BrandPrincipal } from './principal';

describe('assertCanActOnBrand', () => {
  it.each<[string, BrandPrincipal]>([
    ['the admin', { kind: 'admin' }],
    ['an open (dev) caller', { kind: 'open' }],
  ])('lets %s act on any brand', (_, principal) => {
    expect(() => assertCanActOnBrand(principal, 'acme')).not.toThrow();
    expect(() => assertCanActOnBrand(principal, 'other-brand')).not.toThrow();
  });

  it("lets a brand's key act on its own brand", () => {
    expect(() => assertCanActOnBrand({ kind: 'brand', brandId: 'acme' }, 'acme')).not.toThrow();
  });

  it.each(['globex', 'ACME', 'acme ', 'acm', 'acme2', ''])(
    "refuses a brand's key on brand %j with DomainError forbidden",
    (brandId) => {
      let thrown: unknown;
      try {
        assertCanActOnBrand({ kind: 'brand', brandId: 'acme' }, brandId);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ code: 'forbidden' });
      expect((thrown as DomainError).message).toContain(`brand ${brandId}`);
    },
  );
});
