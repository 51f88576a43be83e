import { Inject, Injectable } from '@nestjs/common';
import { apiKeyId, assertCurrentKey, generateApiKey, hashApiKey, type BrandPrincipal } from '@app/auth';
import { DomainError } from '@app/contracts';
import { BrandApiKeysRepository } from '@app/persistence';
import { BRANDS_CONFIG, type BrandsConfig } from '../generator.config';

export interface RotatedKey {
  readonly brandId: string;
  /** The only time the new key exists in clear. */
  readonly apiKey: string;
  readonly keyId: string;
  readonly previousKeyId: string;
  readonly previousKeyExpiresAt: Date;
}

export interface BrandKeys {
  readonly brandId: string;
  readonly current: { readonly keyId: string };
  /** The key a rotation replaced, while its grace period lasts. */
  readonly previous: { readonly keyId: string; readonly expiresAt: Date } | null;
}

@Injectable()
export class ApiKeyRotationService {
  constructor(
    @Inject(BRANDS_CONFIG) private readonly settings: BrandsConfig,
    private readonly apiKeys: BrandApiKeysRepository,
  ) {}

  /**
   * Issues a new key; the replaced one keeps working for the grace period so clients can switch
   * without downtime. The replaced key itself may not rotate: whoever holds only a key that is
   * being retired (a leaked one, say) must not be able to lock the owner out.
   */
  async rotate(brandId: string, principal: BrandPrincipal): Promise<RotatedKey> {
    assertCurrentKey(principal, 'rotating keys');
    const apiKey = generateApiKey();
    const newHash = hashApiKey(apiKey);
    const expiresAt = new Date(Date.now() + this.settings.apiKeyRotationGraceMs);
    const replaced = await this.apiKeys.rotateApiKey(brandId, newHash, expiresAt);
    return {
      brandId,
      apiKey,
      keyId: apiKeyId(newHash),
      previousKeyId: apiKeyId(replaced.previousApiKeyHash),
      previousKeyExpiresAt: replaced.previousKeyExpiresAt,
    };
  }

  async keys(brandId: string): Promise<BrandKeys> {
    const hashes = await this.apiKeys.apiKeyHashes(brandId, new Date());
    if (!hashes) throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
    return {
      brandId,
      current: { keyId: apiKeyId(hashes.current) },
      previous: hashes.previous
        ? { keyId: apiKeyId(hashes.previous.hash), expiresAt: hashes.previous.expiresAt }
        : null,
    };
  }

  /** Ends the replaced key's grace period now: for a key that leaked, waiting a day is too long. */
  async revokePrevious(brandId: string, principal: BrandPrincipal): Promise<void> {
    assertCurrentKey(principal, 'revoking a key');
    if (!(await this.apiKeys.revokePreviousApiKey(brandId))) {
      throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
    }
  }
}
