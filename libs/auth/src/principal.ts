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

/**
 * Actions that change who can act for the brand or reveal its codes (the webhook, the keys, an
 * export) need its current key: a replaced key, a leaked one say, keeps only the routine rights
 * during its grace period.
 */
export function assertCurrentKey(principal: BrandPrincipal, action: string): void {
  if (principal.kind === 'brand' && principal.previousKey) {
    throw new DomainError(
      'forbidden',
      `This API key has been replaced; ${action} needs the current key or the admin token`,
    );
  }
}

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
