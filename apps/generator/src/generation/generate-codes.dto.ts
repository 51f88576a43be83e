import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  CODE_LENGTH_MAX,
  CODE_LENGTH_MIN,
  DEFAULT_ALPHABET,
  DEFAULT_CODE_LENGTH,
  PREFIX_MAX_LENGTH,
} from '@app/codegen';

/** Hard ceiling for the schema; the configured GENERATION_MAX_COUNT is checked by the service. */
const COUNT_CEILING = 10_000_000;

export class GenerateCodesRequest {
  @ApiProperty({ example: 1000, minimum: 1, maximum: COUNT_CEILING })
  @IsInt()
  @Min(1)
  @Max(COUNT_CEILING)
  count!: number;

  @ApiPropertyOptional({ example: DEFAULT_CODE_LENGTH, minimum: CODE_LENGTH_MIN, maximum: CODE_LENGTH_MAX })
  @IsOptional()
  @IsInt()
  length?: number;

  @ApiPropertyOptional({ example: 'SUMMER-', description: `Up to ${PREFIX_MAX_LENGTH} of A–Z, 0–9, "-"` })
  @IsOptional()
  @IsString()
  @MaxLength(PREFIX_MAX_LENGTH)
  prefix?: string;

  @ApiPropertyOptional({ example: DEFAULT_ALPHABET, description: 'At least 10 distinct URL-safe characters' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  alphabet?: string;

  @ApiPropertyOptional({ example: '2030-01-01T00:00:00Z', description: 'ISO 8601, in the future' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class CodeFormatResponse {
  @ApiProperty() length!: number;
  @ApiProperty() prefix!: string;
  @ApiProperty() alphabet!: string;
}

export class CodeBatchResponse {
  @ApiProperty() batchId!: string;
  @ApiProperty() brandId!: string;
  @ApiProperty() requested!: number;
  @ApiProperty() generated!: number;
  @ApiProperty({ type: CodeFormatResponse }) format!: CodeFormatResponse;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty() createdAt!: string;
}
