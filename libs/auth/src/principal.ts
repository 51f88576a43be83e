import { DomainError } from '@app/contracts';

/** Who is calling a brand-facing route. */
export type BrandPrincipal =
  | { readonly kind: 'admin' }
  | {
      readonly kind: 'brand';
      readonly brandId: string;
      /** Authenticated with the key a rotation replaced, during its grace period. */
      readonly previousKey?: boolean;
    }
  /** DEV_OPEN_BRAND_API: a keyless local quickstart caller. */
  | { readonly kind: 'open' };

export function assertCanActOnBrand(principal: BrandPrincipal, brandId: string): void {
  switch (principal.kind) {
    case 'admin':
    case 'open':
      return;
    case 'brand':
      if (principal.brandId !== brandId) {
        throw new DomainError(
          'forbidden',
          `This API key belongs to another brand and cannot act on brand ${brandId}`,
        );
      }
  }
}
