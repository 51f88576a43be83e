import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateApiKey, hashApiKey } from '@app/auth';
import { canonicalEventTypes, DomainError, ID_PATTERN, type WebhookEventType } from '@app/contracts';
import { decodeCursor, encodeCursor, invalidCursor, pageLimit, pageOf, type Page } from '@app/http';
import {
  BrandsRepository,
  CodeInventoryRepository,
  type BrandChanges,
  type BrandRecord,
  type WebhookSettings,
} from '@app/persistence';
import { generateWebhookSecret } from '../webhooks/standard-webhook-signature';
import { isInGrace, WebhookSecrets } from '../webhooks/webhook-secrets';
import { WebhookUrlValidator } from '../webhooks/webhook-url.validator';
import {
  BRANDS_PAGE,
  type AutoReplenishRequest,
  type BrandResponse,
  type BrandStatsResponse,
  type CreateBrandRequest,
  type ListBrandsQuery,
  type UpdateBrandRequest,
  type WebhookRequest,
} from './brand.dto';

export interface RegisteredBrand {
  readonly brand: BrandRecord;
  /** The only time the key exists in clear. */
  readonly apiKey: string;
  /** The webhook secret the generator chose (the request left it out): shown this once. */
  readonly webhookSecret?: string;
}

@Injectable()
export class BrandsService {
  constructor(
    private readonly brands: BrandsRepository,
    private readonly inventory: CodeInventoryRepository,
    private readonly urls: WebhookUrlValidator,
    private readonly webhookSecrets: WebhookSecrets,
  ) {}

  async register(
    request: Pick<CreateBrandRequest, 'id' | 'name' | 'webhook' | 'poolLowThreshold' | 'autoReplenish'>,
  ): Promise<RegisteredBrand> {
    const apiKey = generateApiKey();
    // A webhook given without a secret gets a generated `whsec_` one, shown in this answer only.
    const webhookSecret =
      request.webhook && request.webhook.secret === undefined ? generateWebhookSecret() : undefined;
    const webhook = request.webhook
      ? await this.webhookSettings({ ...request.webhook, secret: request.webhook.secret ?? webhookSecret! })
      : undefined;
    const brand = await this.brands.create({
      id: request.id ?? `b-${randomBytes(6).toString('hex')}`,
      name: request.name,
      apiKeyHash: hashApiKey(apiKey),
      ...(webhook ? { webhook } : {}),
      ...(request.poolLowThreshold !== undefined ? { poolLowThreshold: request.poolLowThreshold } : {}),
      ...(request.autoReplenish ? { autoReplenish: autoReplenishOf(request.autoReplenish) } : {}),
    });
    return { brand, apiKey, ...(webhookSecret ? { webhookSecret } : {}) };
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
    return this.brands.get(brandId);
  }

  /** Every brand, a page at a time in id order (the admin's view). */
  async list(query: ListBrandsQuery): Promise<Page<BrandRecord>> {
    const limit = pageLimit(query.limit, BRANDS_PAGE);
    const afterId = query.cursor === undefined ? undefined : decodeBrandCursor(query.cursor);
    const rows = await this.brands.list({ limit: limit + 1, afterId, namePrefix: query.namePrefix });
    return pageOf(rows, limit, (last) => encodeCursor([last.id]));
  }

  async update(brandId: string, request: UpdateBrandRequest): Promise<BrandRecord> {
    const current = await this.get(brandId);
    const changes: BrandChanges = {
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.webhook !== undefined
        ? {
            webhook:
              request.webhook === null
                ? null
                : withEventChoice(
                    await this.changedWebhook(current.webhook, request.webhook),
                    request.webhook.events === undefined ? current.webhook?.events : request.webhook.events,
                  ),
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
    // Counted from the brand's first redemption on: a brand that never redeems (every brand of the
    // predecessor's flows) gets the answer it got before redemptions existed, byte for byte, and
    // pays no query for them (the rollback sum reads the brand's handed-out codes).
    const [counts, redemptions] = await Promise.all([
      this.inventory.countByStatus(brandId),
      brand.redeemingSince ? this.inventory.countRedemptions(brandId) : undefined,
    ]);
    return { brandId, ...counts, claimedNotified: brand.claimedNotified, ...redemptions };
  }

  /** The secret is sealed before it is stored: the database never holds it in clear. */
  private async webhookSettings(request: WebhookRequest & { secret: string }): Promise<WebhookSettings> {
    return {
      url: await this.urls.validate(request.url),
      ...this.webhookSecrets.sealed(request.secret),
      ...(request.events ? { events: canonicalEventTypes(request.events) } : {}),
      updatedAt: new Date(),
    };
  }

  /**
   * A new URL keeps the current secret; a new secret keeps the current URL; both are needed in the
   * end. A new secret replacing one keeps the replaced one signing for its grace period.
   */
  private async changedWebhook(
    current: WebhookSettings | undefined,
    change: { url?: string; secret?: string },
  ): Promise<WebhookSettings> {
    const url = change.url ?? current?.url;
    if (url === undefined)
      throw new DomainError('invalid_input', 'webhook.url is required: the brand has no webhook yet');
    if (change.secret !== undefined) {
      if (current === undefined) return this.webhookSettings({ url, secret: change.secret });
      return {
        url: await this.urls.validate(url),
        ...this.webhookSecrets.rotated(current, change.secret),
        updatedAt: new Date(),
      };
    }
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

/** The webhook with the brand's choice of event types; none (null, undefined): the default choice. */
function withEventChoice(
  webhook: WebhookSettings,
  events: readonly WebhookEventType[] | null | undefined,
): WebhookSettings {
  const { events: _previous, ...rest } = webhook;
  return events ? { ...rest, events: canonicalEventTypes(events) } : rest;
}

function autoReplenishOf(request: AutoReplenishRequest) {
  return { enabled: request.enabled, count: request.count };
}

function decodeBrandCursor(cursor: string): string {
  const [id] = decodeCursor(cursor, 1) as [string];
  if (!ID_PATTERN.test(id)) throw invalidCursor();
  return id;
}

/** The API view of a brand: the webhook secret is never shown, only its last four characters. */
export function toBrandResponse(brand: BrandRecord, now = new Date()): BrandResponse {
  return {
    brandId: brand.id,
    name: brand.name,
    createdAt: brand.createdAt.toISOString(),
    webhook: brand.webhook
      ? {
          url: brand.webhook.url,
          // A secret stored before sealing carries no hint: its own end is the hint.
          secretHint: `…${brand.webhook.secretHint ?? brand.webhook.secret.slice(-4)}`,
          // Shown while the replaced secret still signs: a brand that never rotated gets the answer it always got.
          ...(isInGrace(brand.webhook, now)
            ? {
                previousSecretHint: `…${brand.webhook.previousSecretHint ?? ''}`,
                previousSecretExpiresAt: new Date(brand.webhook.previousSecretExpiresAt!).toISOString(),
              }
            : {}),
          updatedAt: new Date(brand.webhook.updatedAt).toISOString(),
          // Shown once the brand chose: a brand that never did gets the answer it always got.
          ...(brand.webhook.events ? { events: [...brand.webhook.events] } : {}),
        }
      : null,
    poolLowThreshold: brand.poolLowThreshold ?? null,
    autoReplenish: brand.autoReplenish
      ? { enabled: brand.autoReplenish.enabled, count: brand.autoReplenish.count }
      : null,
  };
}
