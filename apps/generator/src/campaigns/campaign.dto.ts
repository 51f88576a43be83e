import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN, ID_PATTERN_DESCRIPTION, MAX_PER_USER_LIMIT, METADATA_DESCRIPTION } from '@app/contracts';
import { PageCursorField, PageLimitField } from '@app/http';
import { BrandParams } from '../brand-params';
import { GenerateCodesRequest } from '../generation/generate-codes.dto';
import { BoundedMetadata } from '../metadata.dto';

/** Campaigns per page of GET /v1/brands/{brandId}/campaigns. */
export const CAMPAIGNS_PAGE = { default: 20, max: 100 } as const;

/** Not IsOptional, which would let null through: these fields cannot be removed. */
const UnlessAbsent = () => ValidateIf((_, value) => value !== undefined);

const PER_USER_LIMIT_DESCRIPTION = `Codes of the campaign one user may hold: 1–${MAX_PER_USER_LIMIT}`;

export class CampaignParams extends BrandParams {
  @ApiProperty({ example: 'spring-sale', description: `"default" or a created campaign’s id` })
  @IsString()
  @Matches(ID_PATTERN, { message: `campaignId must be ${ID_PATTERN_DESCRIPTION}` })
  campaignId!: string;
}

/**
 * A campaign's default code format: the generate request's fields, checked by the same rules
 * (the DTO's here, resolveCodeFormat's in the service).
 */
export class CampaignFormatRequest extends PickType(GenerateCodesRequest, [
  'length',
  'prefix',
  'alphabet',
] as const) {}

export class CreateCampaignRequest {
  @ApiProperty({ example: 'spring-sale', description: `${ID_PATTERN_DESCRIPTION}; not "default"` })
  @IsString()
  @Matches(ID_PATTERN, { message: `campaignId must be ${ID_PATTERN_DESCRIPTION}` })
  campaignId!: string;

  @ApiProperty({ example: 'Spring sale' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: '2027-03-01T00:00:00Z', description: 'ISO 8601; claims open then' })
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string;

  @ApiPropertyOptional({
    example: '2027-04-30T23:59:59Z',
    description: 'ISO 8601, after startsAt; claims and redemptions close then',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  endsAt?: string;

  @ApiPropertyOptional({
    type: CampaignFormatRequest,
    description: 'What the campaign’s generate requests use where they name no format of their own',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignFormatRequest)
  format?: CampaignFormatRequest;

  @ApiPropertyOptional({ example: 1, default: 1, description: PER_USER_LIMIT_DESCRIPTION })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PER_USER_LIMIT)
  perUserLimit?: number;

  @ApiPropertyOptional({ example: { channel: 'newsletter' }, description: METADATA_DESCRIPTION })
  @IsOptional()
  @BoundedMetadata()
  metadata?: Record<string, string>;
}

/** Every field is optional; `null` removes startsAt, endsAt, format or metadata. */
export class UpdateCampaignRequest {
  @ApiPropertyOptional({ example: 'Spring sale, extended' })
  @UnlessAbsent()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-03-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-05-15T23:59:59Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  endsAt?: string | null;

  @ApiPropertyOptional({
    type: CampaignFormatRequest,
    nullable: true,
    description: 'Replaces the whole format; null removes it',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignFormatRequest)
  format?: CampaignFormatRequest | null;

  @ApiPropertyOptional({ example: 3, description: PER_USER_LIMIT_DESCRIPTION })
  @UnlessAbsent()
  @IsInt()
  @Min(1)
  @Max(MAX_PER_USER_LIMIT)
  perUserLimit?: number;

  @ApiPropertyOptional({
    nullable: true,
    example: { channel: 'newsletter' },
    description: `Replaces the whole metadata; null removes it. ${METADATA_DESCRIPTION}`,
  })
  @IsOptional()
  @BoundedMetadata()
  metadata?: Record<string, string> | null;
}

export class ListCampaignsQuery {
  @PageLimitField(CAMPAIGNS_PAGE)
  limit?: string;

  @PageCursorField()
  cursor?: string;
}

export class CampaignFormatResponse {
  @ApiProperty({ type: Number, nullable: true, example: 8 }) length!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'SPRING-' }) prefix!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) alphabet!: string | null;
}

export class CampaignResponse {
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: 'spring-sale' }) campaignId!: string;
  @ApiProperty({ example: 'Spring sale' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '2027-03-01T00:00:00.000Z' }) startsAt!:
    string | null;
  @ApiProperty({ type: String, nullable: true, example: '2027-04-30T23:59:59.000Z' }) endsAt!: string | null;
  @ApiProperty({ type: CampaignFormatResponse, nullable: true }) format!: CampaignFormatResponse | null;
  @ApiProperty({ example: 1 }) perUserLimit!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { channel: 'newsletter' },
  })
  metadata!: Record<string, string> | null;
  @ApiProperty({
    example: '2026-12-07T09:00:00.000Z',
    description: 'For the default campaign: when the brand was created',
  })
  createdAt!: string;
  @ApiProperty({ example: '2026-12-07T09:30:00.000Z' }) updatedAt!: string;
}

export class CampaignPageResponse {
  @ApiProperty({ type: [CampaignResponse], description: 'The default campaign first, then by campaignId' })
  items!: CampaignResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as cursor for the next page',
  })
  nextCursor!: string | null;
}

export class CampaignStatsResponse {
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: 'spring-sale' }) campaignId!: string;
  @ApiProperty({ example: 100 }) total!: number;
  @ApiProperty({ example: 90, description: 'Claimable: not claimed, not expired' }) available!: number;
  @ApiProperty({ example: 6, description: 'Held by a user, not (or no longer) redeemed' }) claimed!: number;
  @ApiProperty({ example: 0, description: 'Never claimed and past expiresAt: never handed out' })
  expired!: number;
  @ApiProperty({ example: 4 }) redeemed!: number;
  @ApiProperty({ example: 1, description: 'Redemptions rolled back (each rollback counts)' })
  rolledBack!: number;
}
