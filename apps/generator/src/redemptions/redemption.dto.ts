import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, Length, Matches, Min, ValidateBy } from 'class-validator';
import {
  codeOfRedemptionId,
  ID_PATTERN,
  ID_PATTERN_DESCRIPTION,
  METADATA_DESCRIPTION,
  REDEMPTION_REFUSALS,
  type RedemptionRefusal,
} from '@app/contracts';
import { CODE_STATUSES, type CodeStatus } from '@app/persistence';
import { BrandParams } from '../brand-params';
import { BoundedMetadata } from '../metadata.dto';
import { ORDER_ID_DESCRIPTION, ORDER_ID_PATTERN, REDEEMED_CODE_MAX_LENGTH } from './redemption-input';

const RedemptionId = () =>
  ValidateBy({
    name: 'isRedemptionId',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && codeOfRedemptionId(value) !== null,
      defaultMessage: () => 'redemptionId must be the redemptionId of a redemption',
    },
  });

const CODE_MESSAGE = `code must be a string of 1–${REDEEMED_CODE_MAX_LENGTH} characters`;

export class RedemptionParams extends BrandParams {
  @ApiProperty({ example: 'N1U3STg0NUw.f3K9c2VdQm1xTzRi', description: 'As answered by the redemption' })
  @RedemptionId()
  redemptionId!: string;
}

export class ValidateCodeRequest {
  @ApiProperty({ example: '7U7I845L' })
  @IsString({ message: CODE_MESSAGE })
  @Length(1, REDEEMED_CODE_MAX_LENGTH, { message: CODE_MESSAGE })
  code!: string;

  @ApiPropertyOptional({ example: 'user-42', description: `The user at checkout: ${ID_PATTERN_DESCRIPTION}` })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `userId must be ${ID_PATTERN_DESCRIPTION}` })
  userId?: string;

  @ApiPropertyOptional({
    example: '#1001',
    description: `${ORDER_ID_DESCRIPTION}. Changes nothing in the answer: a code redeemed with this very order is already_redeemed too`,
  })
  @IsOptional()
  @IsString()
  @Matches(ORDER_ID_PATTERN, { message: `orderId must be ${ORDER_ID_DESCRIPTION}` })
  orderId?: string;
}

export class RedeemCodeRequest {
  @ApiProperty({ example: '7U7I845L' })
  @IsString({ message: CODE_MESSAGE })
  @Length(1, REDEEMED_CODE_MAX_LENGTH, { message: CODE_MESSAGE })
  code!: string;

  @ApiPropertyOptional({
    example: 'user-42',
    description: `When given, only this user's code is redeemed (claimed_by_other otherwise): ${ID_PATTERN_DESCRIPTION}`,
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `userId must be ${ID_PATTERN_DESCRIPTION}` })
  userId?: string;

  @ApiProperty({
    example: '#1001',
    description: `${ORDER_ID_DESCRIPTION}. The same order redeeming the same code again gets the same redemption (200)`,
  })
  @IsString()
  @Matches(ORDER_ID_PATTERN, { message: `orderId must be ${ORDER_ID_DESCRIPTION}` })
  orderId!: string;

  @ApiPropertyOptional({ example: 49.9, minimum: 0, description: "The order's amount, stored as given" })
  @IsOptional()
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'amount must be a finite number of at least 0' },
  )
  @Min(0, { message: 'amount must be a finite number of at least 0' })
  amount?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { channel: 'web' },
    description: METADATA_DESCRIPTION,
  })
  @IsOptional()
  @BoundedMetadata()
  metadata?: Record<string, string>;
}

export const REDEMPTION_STATUSES = ['redeemed', 'rolled_back'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

export class RedemptionResponse {
  @ApiProperty({ description: 'Names the code; used to roll the redemption back' }) redemptionId!: string;
  @ApiProperty() brandId!: string;
  @ApiProperty({ example: 'default' }) campaignId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiProperty({ type: Number, nullable: true }) amount!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, nullable: true })
  metadata!: Record<string, string> | null;
  @ApiProperty() redeemedAt!: string;
  @ApiProperty({ type: String, nullable: true }) rolledBackAt!: string | null;
  @ApiProperty({ enum: REDEMPTION_STATUSES }) status!: RedemptionStatus;
}

export class ValidationResponse {
  @ApiProperty({ description: 'Whether a redemption of the code would succeed now' }) valid!: boolean;
  @ApiProperty({ enum: REDEMPTION_REFUSALS, nullable: true, description: 'Why not; null when valid' })
  reason!: RedemptionRefusal | null;
  @ApiProperty() code!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for an unknown code' })
  campaignId!: string | null;
  @ApiProperty({ enum: CODE_STATUSES, nullable: true, description: 'As stored; null for an unknown code' })
  status!: CodeStatus | null;
  @ApiPropertyOptional({ description: 'The holder of a claimed or redeemed code' }) claimedBy?: string;
  @ApiProperty({ type: String, nullable: true }) expiresAt!: string | null;
  @ApiPropertyOptional({ type: RedemptionResponse, description: 'The current redemption of a redeemed code' })
  redemption?: RedemptionResponse;
}
