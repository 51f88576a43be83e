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
  @ApiProperty({
    example: 'U1BSSU5HLTdLUTJNOVhE.f3K9c2VdQm1xTzRi',
    description: 'As answered by the redemption',
  })
  @RedemptionId()
  redemptionId!: string;
}

export class ValidateCodeRequest {
  @ApiProperty({ example: 'SPRING-7KQ2M9XD' })
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
  @ApiProperty({ example: 'SPRING-7KQ2M9XD' })
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
  @ApiProperty({
    example: 'U1BSSU5HLTdLUTJNOVhE.f3K9c2VdQm1xTzRi',
    description: 'Names the code; used to roll the redemption back',
  })
  redemptionId!: string;
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: 'spring-sale' }) campaignId!: string;
  @ApiProperty({ example: 'SPRING-7KQ2M9XD' }) code!: string;
  @ApiProperty({ example: '#1001' }) orderId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'user-42' }) userId!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 49.9 }) amount!: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { channel: 'web' },
  })
  metadata!: Record<string, string> | null;
  @ApiProperty({ example: '2026-12-07T10:05:00.000Z' }) redeemedAt!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) rolledBackAt!: string | null;
  @ApiProperty({ enum: REDEMPTION_STATUSES, example: 'redeemed' }) status!: RedemptionStatus;
}

export class ValidationResponse {
  @ApiProperty({ example: true, description: 'Whether a redemption of the code would succeed now' })
  valid!: boolean;
  @ApiProperty({
    enum: REDEMPTION_REFUSALS,
    nullable: true,
    example: null,
    description: 'Why not; null when valid',
  })
  reason!: RedemptionRefusal | null;
  @ApiProperty({ example: 'SPRING-7KQ2M9XD' }) code!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'spring-sale',
    description: 'null for an unknown code',
  })
  campaignId!: string | null;
  @ApiProperty({
    enum: CODE_STATUSES,
    nullable: true,
    example: 'claimed',
    description: 'As stored; null for an unknown code',
  })
  status!: CodeStatus | null;
  @ApiPropertyOptional({ example: 'user-42', description: 'The holder of a claimed or redeemed code' })
  claimedBy?: string;
  @ApiProperty({ type: String, nullable: true, example: '2027-04-30T23:59:59.000Z' }) expiresAt!:
    string | null;
  @ApiPropertyOptional({ type: RedemptionResponse, description: 'The current redemption of a redeemed code' })
  redemption?: RedemptionResponse;
}
