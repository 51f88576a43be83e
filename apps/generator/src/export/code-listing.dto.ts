import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { DEFAULT_CAMPAIGN_ID, DomainError, ID_PATTERN, ID_PATTERN_DESCRIPTION } from '@app/contracts';
import {
  CODE_LIST_STATUSES,
  CODE_STATUSES,
  type CodeListFilter,
  type CodeListStatus,
} from '@app/persistence';
import { PageCursorField, PageLimitField } from '@app/http';

export const CODES_PAGE = { default: 100, max: 1_000 } as const;

/** What the export and the listing read of the brand's codes. */
export class ExportQuery {
  @ApiPropertyOptional({ enum: CODE_LIST_STATUSES, description: 'Default all' })
  @IsOptional()
  @IsIn(CODE_LIST_STATUSES, { message: `status must be one of ${CODE_LIST_STATUSES.join(', ')}` })
  status?: CodeListStatus;

  @ApiPropertyOptional({
    example: DEFAULT_CAMPAIGN_ID,
    description: `Only the campaign's codes; "${DEFAULT_CAMPAIGN_ID}" is the codes of no other campaign`,
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `campaignId must be ${ID_PATTERN_DESCRIPTION}` })
  campaignId?: string;

  @ApiPropertyOptional({
    description: 'Only the codes of this batch (batchId of a 201, importId of an import)',
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `batchId must be ${ID_PATTERN_DESCRIPTION}` })
  batchId?: string;

  @ApiPropertyOptional({
    description: 'Only the codes of this generation job (jobId of a 202); not with batchId',
  })
  @IsOptional()
  @IsUUID('all', { message: 'jobId must be a job id (a UUID)' })
  jobId?: string;
}

export class ListCodesQuery extends ExportQuery {
  @PageLimitField(CODES_PAGE)
  limit?: string;

  @PageCursorField(64)
  cursor?: string;
}

/** The query as the inventory reads it: a job is the batch its codes were stored under. */
export function codeListFilter(query: ExportQuery): CodeListFilter {
  if (query.batchId !== undefined && query.jobId !== undefined) {
    throw new DomainError(
      'invalid_input',
      'Give batchId or jobId, not both: a job’s codes are the batch named by the job id',
    );
  }
  const batchId = query.batchId ?? query.jobId;
  return {
    status: query.status ?? 'all',
    ...(query.campaignId !== undefined ? { campaignId: query.campaignId } : {}),
    ...(batchId !== undefined ? { batchId } : {}),
  };
}

export class CodeRowResponse {
  @ApiProperty({ example: 'SPRING-7KQ2M9XD' }) code!: string;
  @ApiProperty({ enum: CODE_STATUSES, example: 'redeemed' }) status!: string;
  @ApiProperty({ nullable: true, type: String, example: 'user-42' }) claimedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-12-07T09:15:00.000Z' }) claimedAt!:
    string | null;
  @ApiProperty({ nullable: true, type: String, example: '2027-04-30T23:59:59.000Z' }) expiresAt!:
    string | null;
  @ApiProperty({ example: '2026-12-07T09:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: 'spring-sale' }) campaignId!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2026-12-07T10:05:00.000Z',
    description: 'Set while the code is redeemed',
  })
  redeemedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '#1001' }) orderId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'U1BSSU5HLTdLUTJNOVhE.f3K9c2VdQm1xTzRi',
    description: 'What a rollback names',
  })
  redemptionId!: string | null;
}

export class CodePageResponse {
  @ApiProperty({ type: [CodeRowResponse] }) items!: CodeRowResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as cursor for the next page',
  })
  nextCursor!: string | null;
}
