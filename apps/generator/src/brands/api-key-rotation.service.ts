import { Inject, Injectable } from '@nestjs/common';
import { generateApiKey, hashApiKey, type BrandPrincipal } from '@app/auth';
import { DomainError } from '@app/contracts';
import { BrandsRepository } from '@app/persistence';
import { BRANDS_CONFIG, type BrandsConfig } from '../generator.config';

export interface RotatedKey {
  readonly brandId: string;
  /** The only time the new key exists in clear. */
  readonly apiKey: string;
  readonly previousKeyExpiresAt: Date;
}

@Injectable()
export class ApiKeyRotationService {
  constructor(
    @Inject(BRANDS_CONFIG) private readonly settings: BrandsConfig,
    private readonly brands: BrandsRepository,
  ) {}

  /**
   * Issues a new key; the replaced one keeps working for the grace period so clients can switch
   * without downtime. The replaced key itself may not rotate: whoever holds only a key that is
   * being retired (a leaked one, say) must not be able to lock the owner out.
   */
  async rotate(brandId: string, principal: BrandPrincipal): Promise<RotatedKey> {
    if (principal.kind === 'brand' && principal.previousKey) {
      throw new DomainError(
        'forbidden',
        'This API key has been replaced; rotate with the current key or the admin token',
      );
    }
    const apiKey = generateApiKey();
    const expiresAt = new Date(Date.now() + this.settings.apiKeyRotationGraceMs);
    const { previousKeyExpiresAt } = await this.brands.rotateApiKey(brandId, hashApiKey(apiKey), expiresAt);
    return { brandId, apiKey, previousKeyExpiresAt };
  }
}
