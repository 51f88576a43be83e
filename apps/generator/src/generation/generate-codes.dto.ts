import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  CODE_LENGTH_MAX,
  CODE_LENGTH_MIN,
  DEFAULT_ALPHABET,
  DEFAULT_CODE_LENGTH,
  PREFIX_MAX_LENGTH,
} from '@app/codegen';
import { DEV_SERVER_SLOW_CLAIMS } from '@app/persistence';

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

  @ApiPropertyOptional({ example: 'SPRING-', description: `Up to ${PREFIX_MAX_LENGTH} of A–Z, 0–9, "-"` })
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
  @ApiProperty({ example: DEFAULT_CODE_LENGTH }) length!: number;
  @ApiProperty({ example: 'SPRING-' }) prefix!: string;
  @ApiProperty({ example: DEFAULT_ALPHABET }) alphabet!: string;
}

/**
 * Something that will not work well for long although this request succeeded. The one code so
 * far: dev_server_slow_claims, the FerretDB dev server holding more codes than it serves claims
 * well (set MONGODB_URI to a real MongoDB).
 */
export class ApiWarningResponse {
  @ApiProperty({ enum: [DEV_SERVER_SLOW_CLAIMS], example: DEV_SERVER_SLOW_CLAIMS })
  code!: typeof DEV_SERVER_SLOW_CLAIMS;
  @ApiProperty({ example: 'The database is the FerretDB dev server (…); set MONGODB_URI to a real MongoDB.' })
  message!: string;
}

/** The warnings of an answer, as a field present only when there is one. */
export const withWarnings = <T extends object>(
  answer: T,
  warnings: readonly ApiWarningResponse[],
): T & { warnings?: ApiWarningResponse[] } =>
  warnings.length > 0 ? { ...answer, warnings: warnings.map((w) => ({ ...w })) } : answer;

export const WARNINGS_DESCRIPTION =
  'Present only when there is one; the request succeeded all the same. dev_server_slow_claims: the ' +
  'database is the FerretDB dev server and its codes collection (all brands) now holds, or with this ' +
  'job will hold, more codes than it serves claims well at; set MONGODB_URI to a real MongoDB';

export class CodeBatchResponse {
  @ApiProperty({ example: '0b6f3c1e-5d2a-4e8f-9c7b-2a1d4e6f8a90' }) batchId!: string;
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiPropertyOptional({
    example: 'spring-sale',
    description: 'The campaign the codes went to; only on a campaign’s route',
  })
  campaignId?: string;
  @ApiProperty({ example: 1000 }) requested!: number;
  @ApiProperty({ example: 1000 }) generated!: number;
  @ApiProperty({ type: CodeFormatResponse }) format!: CodeFormatResponse;
  @ApiProperty({ nullable: true, type: String, example: '2027-04-30T23:59:59.000Z' }) expiresAt!:
    string | null;
  @ApiProperty({ example: '2026-12-07T09:00:00.000Z' }) createdAt!: string;
  @ApiPropertyOptional({ type: [ApiWarningResponse], description: WARNINGS_DESCRIPTION })
  warnings?: ApiWarningResponse[];
}
