import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ID_PATTERN,
  ID_PATTERN_DESCRIPTION,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '@app/contracts';
import { PageCursorField, PageLimitField } from '@app/http';
import { WebhookEventsField } from '../webhooks/webhook-events.dto';

export const WEBHOOK_SECRET_PATTERN = /^[\x21-\x7e]{24,256}$/;
const WEBHOOK_SECRET_DESCRIPTION = '24–256 printable ASCII characters without spaces';
/** How a secret keys the signatures, for the API description (see standard-webhook-signature.ts). */
const WEBHOOK_SECRET_KEYING =
  'A Standard Webhooks secret, `whsec_` and base64 (e.g. `whsec_` + 32 random bytes in base64), keys the ' +
  '`webhook-signature` HMAC with its decoded bytes (verify with `new Webhook(secret)`); any other secret ' +
  'with its own bytes (verify with `new Webhook(secret, { format: "raw" })`). The deprecated ' +
  '`X-Discounts-Signature` is keyed with the secret as written, whatever its form.';
/** Brands per page of GET /v1/brands. */
export const BRANDS_PAGE = { default: 20, max: 100 } as const;
/** As long as a brand name can be. */
const NAME_PREFIX_MAX = 200;
/** Largest auto-replenish batch: one synchronous generation, well inside a replenish wait. */
export const AUTO_REPLENISH_MAX_COUNT = 100_000;

export class WebhookRequest {
  @ApiProperty({
    example: 'https://hooks.acme.example/discounts',
    description: 'http(s); must not resolve to loopback, link-local or private addresses',
  })
  @IsString()
  @MaxLength(2_048)
  url!: string;

  @ApiPropertyOptional({
    // The Standard Webhooks specification's own example secret: never a real one.
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      `HMAC key for the signatures: ${WEBHOOK_SECRET_DESCRIPTION}. Never shown again. ` +
      `${WEBHOOK_SECRET_KEYING} Left out, the generator chooses a \`whsec_\` secret and answers it once as \`webhookSecret\`.`,
  })
  @IsOptional()
  @IsString()
  @Matches(WEBHOOK_SECRET_PATTERN, { message: `webhook.secret must be ${WEBHOOK_SECRET_DESCRIPTION}` })
  secret?: string;

  @WebhookEventsField()
  events?: WebhookEventType[] | null;
}

export class WebhookChangeRequest {
  @ApiPropertyOptional({ example: 'https://hooks.acme.example/discounts' })
  @IsOptional()
  @IsString()
  @MaxLength(2_048)
  url?: string;

  @ApiPropertyOptional({
    // The Standard Webhooks specification's own example secret: never a real one.
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      `A new secret (rotation): ${WEBHOOK_SECRET_DESCRIPTION}. The replaced one keeps signing next to it ` +
      `(two signatures in \`webhook-signature\`) for WEBHOOK_SECRET_ROTATION_GRACE_SECONDS. ${WEBHOOK_SECRET_KEYING}`,
  })
  @IsOptional()
  @IsString()
  @Matches(WEBHOOK_SECRET_PATTERN, { message: `webhook.secret must be ${WEBHOOK_SECRET_DESCRIPTION}` })
  secret?: string;

  @WebhookEventsField()
  events?: WebhookEventType[] | null;
}

export class AutoReplenishRequest {
  @ApiProperty({ example: true })
  @IsBoolean()
  enabled!: boolean;

  @ApiProperty({
    example: 1000,
    minimum: 1,
    maximum: AUTO_REPLENISH_MAX_COUNT,
    description: 'Codes added each time',
  })
  @IsInt()
  @Min(1)
  @Max(AUTO_REPLENISH_MAX_COUNT)
  count!: number;
}

export class CreateBrandRequest {
  @ApiPropertyOptional({
    example: 'acme',
    description: `Chosen id; generated when omitted. ${ID_PATTERN_DESCRIPTION}`,
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `id must be ${ID_PATTERN_DESCRIPTION}` })
  id?: string;

  @ApiProperty({ example: 'Acme Coffee' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ type: WebhookRequest, description: 'Where claim notifications go' })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookRequest)
  webhook?: WebhookRequest;

  @ApiPropertyOptional({ example: 100, description: 'pool.low is emitted when fewer codes are available' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  poolLowThreshold?: number;

  @ApiPropertyOptional({ type: AutoReplenishRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => AutoReplenishRequest)
  autoReplenish?: AutoReplenishRequest;
}

/** Every field is optional; `null` removes a setting. */
export class UpdateBrandRequest {
  @ApiPropertyOptional({ example: 'Acme Coffee Roasters' })
  // Not IsOptional: that would let null through, and a brand always has a name.
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    type: WebhookChangeRequest,
    nullable: true,
    description: 'null removes the webhook',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookChangeRequest)
  webhook?: WebhookChangeRequest | null;

  @ApiPropertyOptional({ example: 100, nullable: true, type: Number })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  poolLowThreshold?: number | null;

  @ApiPropertyOptional({ type: AutoReplenishRequest, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AutoReplenishRequest)
  autoReplenish?: AutoReplenishRequest | null;
}

export class WebhookResponse {
  @ApiProperty({ example: 'https://hooks.acme.example/discounts' }) url!: string;
  @ApiProperty({
    example: '…x9Qz',
    description: 'The last 4 characters of the secret, to tell secrets apart',
  })
  secretHint!: string;
  @ApiPropertyOptional({
    example: '…a7Kd',
    description:
      'The last 4 characters of the secret a rotation replaced, present while it still signs deliveries',
  })
  previousSecretHint?: string;
  @ApiPropertyOptional({
    example: '2026-12-08T09:00:00.000Z',
    description: 'When the replaced secret stops signing deliveries; present with previousSecretHint',
  })
  previousSecretExpiresAt?: string;
  @ApiProperty({ example: '2026-12-07T09:00:00.000Z' }) updatedAt!: string;
  @ApiPropertyOptional({
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    example: ['code.claimed', 'code.redeemed'],
    description: 'The event types the brand chose; absent until it chooses, meaning ["code.claimed"]',
  })
  events?: WebhookEventType[];
}

export class AutoReplenishResponse {
  @ApiProperty({ example: true }) enabled!: boolean;
  @ApiProperty({ example: 1000 }) count!: number;
}

export class BrandResponse {
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: 'Acme Coffee' }) name!: string;
  @ApiProperty({ example: '2026-12-01T08:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: WebhookResponse, nullable: true }) webhook!: WebhookResponse | null;
  @ApiProperty({ type: Number, nullable: true, example: 100 }) poolLowThreshold!: number | null;
  @ApiProperty({ type: AutoReplenishResponse, nullable: true }) autoReplenish!: AutoReplenishResponse | null;
}

export class ListBrandsQuery {
  @ApiPropertyOptional({
    example: 'Acme',
    description: `Only brands whose name starts with this (case-sensitive, taken literally), 1–${NAME_PREFIX_MAX} characters`,
  })
  @IsOptional()
  @IsString()
  @Length(1, NAME_PREFIX_MAX, { message: `namePrefix must be 1–${NAME_PREFIX_MAX} characters` })
  namePrefix?: string;

  @PageLimitField(BRANDS_PAGE)
  limit?: string;

  @PageCursorField()
  cursor?: string;
}

export class BrandPageResponse {
  @ApiProperty({ type: [BrandResponse], description: 'In brand id order' }) items!: BrandResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as cursor for the next page',
  })
  nextCursor!: string | null;
}

export class CreatedBrandResponse extends BrandResponse {
  @ApiProperty({ description: 'Shown once; only its hash is stored.', example: 'dk_…' })
  apiKey!: string;
  @ApiPropertyOptional({
    description:
      'The webhook secret the generator chose (the request gave a webhook without one); shown once',
    example: 'whsec_…',
  })
  webhookSecret?: string;
}

const SHOWN_ONCE_REDEEMED =
  'Present from the brand’s first redemption on (with rolledBack/redeemed), absent before';

export class BrandStatsResponse {
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: 100 }) total!: number;
  @ApiProperty({ example: 97, description: 'Claimable: not claimed, not expired' }) available!: number;
  @ApiProperty({ example: 3 }) claimed!: number;
  @ApiProperty({ example: 0, description: 'Never claimed and past expiresAt: never handed out' })
  expired!: number;
  @ApiProperty({ example: 3, description: 'Claim events this service has received over NATS (each once)' })
  claimedNotified!: number;
  @ApiPropertyOptional({ example: 2, description: `Codes redeemed. ${SHOWN_ONCE_REDEEMED}` })
  redeemed?: number;
  @ApiPropertyOptional({
    example: 1,
    description: `Redemptions rolled back (each rollback counts). ${SHOWN_ONCE_REDEEMED}`,
  })
  rolledBack?: number;
}
