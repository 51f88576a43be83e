import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateApiKey, hashApiKey } from '@app/auth';
import { DomainError } from '@app/contracts';
import { BrandsRepository, CodeInventoryRepository, type BrandRecord } from '@app/persistence';
import type { BrandStatsResponse } from './brand.dto';

export interface RegisteredBrand {
  readonly brand: BrandRecord;
  /** The only time the key exists in clear. */
  readonly apiKey: string;
}

@Injectable()
export class BrandsService {
  constructor(
    private readonly brands: BrandsRepository,
    private readonly inventory: CodeInventoryRepository,
  ) {}

  async register(name: string, id = `b-${randomBytes(6).toString('hex')}`): Promise<RegisteredBrand> {
    const apiKey = generateApiKey();
    const brand = await this.brands.create({ id, name, apiKeyHash: hashApiKey(apiKey) });
    return { brand, apiKey };
  }

  /**
   * The predecessor registered a brand the first time codes were generated for it. Such a brand
   * gets a key nobody has seen: it is managed with the admin token until a key is issued.
   */
  async ensureRegistered(id: string): Promise<BrandRecord> {
    const { brand } = await this.brands.ensure({
      id,
      name: `Brand ${id}`,
      apiKeyHash: hashApiKey(generateApiKey()),
    });
    return brand;
  }

  async stats(brandId: string): Promise<BrandStatsResponse> {
    const brand = await this.brands.findById(brandId);
    if (!brand) throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
    const counts = await this.inventory.countByStatus(brandId);
    return { brandId, ...counts, claimedNotified: brand.claimedNotified };
  }
}
