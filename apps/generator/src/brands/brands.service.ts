import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateApiKey, hashApiKey } from '@app/auth';
import { DomainError } from '@app/contracts';
import {
  BrandsRepository,
  CodeInventoryRepository,
  type BrandChanges,
  type BrandRecord,
  type WebhookSettings,
} from '@app/persistence';
import { SecretBox } from '../webhooks/secret-box';
import { WebhookUrlValidator } from '../webhooks/webhook-url.validator';
import type {
  AutoReplenishRequest,
  BrandResponse,
  BrandStatsResponse,
  CreateBrandRequest,
  UpdateBrandRequest,
  WebhookRequest,
} from './brand.dto';

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
    private readonly urls: WebhookUrlValidator,
    private readonly secrets: SecretBox,
  ) {}

  async register(
    request: Pick<CreateBrandRequest, 'id' | 'name' | 'webhook' | 'poolLowThreshold' | 'autoReplenish'>,
  ): Promise<RegisteredBrand> {
    const apiKey = generateApiKey();
    const webhook = request.webhook ? await this.webhookSettings(request.webhook) : undefined;
    const brand = await this.brands.create({
      id: request.id ?? `b-${randomBytes(6).toString('hex')}`,
      name: request.name,
      apiKeyHash: hashApiKey(apiKey),
      ...(webhook ? { webhook } : {}),
      ...(request.poolLowThreshold !== undefined ? { poolLowThreshold: request.poolLowThreshold } : {}),
      ...(request.autoReplenish ? { autoReplenish: autoReplenishOf(request.autoReplenish) } : {}),
    });
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

  async get(brandId: string): Promise<BrandRecord> {
    const brand = await this.brands.findById(brandId);
    if (!brand) throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
    return brand;
  }

  async update(brandId: string, request: UpdateBrandRequest): Promise<BrandRecord> {
    const current = await this.get(brandId);
    const changes: BrandChanges = {
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.webhook !== undefined
        ? {
            webhook:
              request.webhook === null ? null : await this.changedWebhook(current.webhook, request.webhook),
          }
        : {}),
      ...(request.poolLowThreshold !== undefined ? { poolLowThreshold: request.poolLowThreshold } : {}),
      ...(request.autoReplenish !== undefined
        ? { autoReplenish: request.autoReplenish === null ? null : autoReplenishOf(request.autoReplenish) }
        : {}),
    };
    const updated = await this.brands.update(brandId, changes);
    if (!updated) throw new DomainError('brand_not_found', `Brand ${brandId} does not exist`);
    return updated;
  }

  async stats(brandId: string): Promise<BrandStatsResponse> {
    const brand = await this.get(brandId);
    const counts = await this.inventory.countByStatus(brandId);
    return { brandId, ...counts, claimedNotified: brand.claimedNotified };
  }

  /** The secret is sealed before it is stored: the database never holds it in clear. */
  private async webhookSettings(request: WebhookRequest): Promise<WebhookSettings> {
    return {
      url: await this.urls.validate(request.url),
      secret: this.secrets.seal(request.secret),
      secretHint: request.secret.slice(-4),
      updatedAt: new Date(),
    };
  }

  /** A new URL keeps the current secret; a new secret keeps the current URL; both are needed in the end. */
  private async changedWebhook(
    current: WebhookSettings | undefined,
    change: { url?: string; secret?: string },
  ): Promise<WebhookSettings> {
    const url = change.url ?? current?.url;
    if (url === undefined)
      throw new DomainError('invalid_input', 'webhook.url is required: the brand has no webhook yet');
    if (change.secret !== undefined) return this.webhookSettings({ url, secret: change.secret });
    if (current === undefined) {
      throw new DomainError(
        'invalid_input',
        'webhook.secret is required: the brand has no webhook secret yet',
      );
    }
    // A new URL keeps the stored secret as it is sealed.
    return { ...current, url: await this.urls.validate(url), updatedAt: new Date() };
  }
}

function autoReplenishOf(request: AutoReplenishRequest) {
  return { enabled: request.enabled, count: request.count };
}

/** The API view of a brand: the webhook secret is never shown, only its last four characters. */
export function toBrandResponse(brand: BrandRecord): BrandResponse {
  return {
    brandId: brand.id,
    name: brand.name,
    createdAt: brand.createdAt.toISOString(),
    webhook: brand.webhook
      ? {
          url: brand.webhook.url,
          // A secret stored before sealing carries no hint: its own end is the hint.
          secretHint: `…${brand.webhook.secretHint ?? brand.webhook.secret.slice(-4)}`,
          updatedAt: new Date(brand.webhook.updatedAt).toISOString(),
        }
      : null,
    poolLowThreshold: brand.poolLowThreshold ?? null,
    autoReplenish: brand.autoReplenish
      ? { enabled: brand.autoReplenish.enabled, count: brand.autoReplenish.count }
      : null,
  };
}
