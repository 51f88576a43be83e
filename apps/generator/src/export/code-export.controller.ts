import { pipeline } from 'node:stream';
import { Controller, Get, Logger, Param, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { assertCurrentKey, BrandGuard, CurrentPrincipal, type BrandPrincipal } from '@app/auth';
import { DomainError } from '@app/contracts';
import { RateLimitGuard } from '@app/ratelimit';
import {
  CODE_LIST_STATUSES,
  CodeInventoryRepository,
  type CodeListStatus,
  type CodeRow,
} from '@app/persistence';
import { BrandParams } from '../brand-params';
import { byBrand } from '../brands/brand-rate-key';
import { BrandsService } from '../brands/brands.service';
import { csvTransform } from './csv';
import { ExportSlots } from './export-slots';

const PAGE_MAX = 1_000;
const PAGE_DEFAULT = 100;

export class ExportQuery {
  @ApiPropertyOptional({ enum: CODE_LIST_STATUSES, description: 'Default all' })
  @IsOptional()
  @IsIn(CODE_LIST_STATUSES, { message: `status must be one of ${CODE_LIST_STATUSES.join(', ')}` })
  status?: CodeListStatus;
}

export class ListCodesQuery extends ExportQuery {
  @ApiPropertyOptional({ example: '100', description: `1–${PAGE_MAX} (default ${PAGE_DEFAULT})` })
  @IsOptional()
  @Matches(/^[1-9]\d{0,3}$/, { message: `limit must be a whole number from 1 to ${PAGE_MAX}` })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;
}

export class CodeRowResponse {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: ['available', 'claimed', 'expired'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) claimedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) claimedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CodePageResponse {
  @ApiProperty({ type: [CodeRowResponse] }) items!: CodeRowResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page' })
  nextCursor!: string | null;
}

const CSV_HEADER = ['code', 'status', 'claimed_by', 'claimed_at', 'expires_at'];

/** Opaque to clients: the last _id of a page. */
export const encodeCodeCursor = (id: string): string => Buffer.from(id, 'hex').toString('base64url');
export function decodeCodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('hex');
  if (!/^[0-9a-f]{24}$/.test(id))
    throw new DomainError('invalid_input', 'cursor is not a cursor this API returned');
  return id;
}

@ApiTags('codes')
@ApiBearerAuth()
@Controller('v1/brands/:brandId')
@UseGuards(BrandGuard, RateLimitGuard('readsPerBrand', byBrand))
export class CodeExportController {
  private readonly logger = new Logger(CodeExportController.name);

  constructor(
    private readonly brands: BrandsService,
    private readonly inventory: CodeInventoryRepository,
    private readonly slots: ExportSlots,
  ) {}

  @Get('codes.csv')
  @ApiOperation({
    summary: 'All the brand’s codes as CSV, streamed (code, status, claimed by/at, expires at)',
  })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'text/csv' })
  @ApiResponse({
    status: 429,
    description:
      'rate_limited: RATE_LIMIT_READS_PER_BRAND; too_many_exports: BRAND_MAX_CONCURRENT_EXPORTS. See Retry-After',
  })
  async exportCsv(
    @Param() params: BrandParams,
    @Query() query: ExportQuery,
    @Res() reply: FastifyReply,
    @CurrentPrincipal() principal: BrandPrincipal,
  ): Promise<void> {
    assertCurrentKey(principal, 'exporting codes');
    // The slot is the response's, so it cannot outlive the export.
    this.slots.holdFor(params.brandId, reply.raw);
    await this.brands.get(params.brandId);
    const status = query.status ?? 'all';
    const rows = this.inventory.streamRows(params.brandId, status);
    // pipeline: the socket's backpressure pauses the cursor; a client that goes away ends it.
    const csv = pipeline(
      rows,
      csvTransform<CodeRow>(CSV_HEADER, (r) => [r.code, r.status, r.claimedBy, r.claimedAt, r.expiresAt]),
      (error) => {
        if (error) this.logger.warn(`CSV export of ${params.brandId} ended early: ${error.message}`);
      },
    );
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${params.brandId}-codes-${status}.csv"`)
      .send(csv);
  }

  @Get('codes')
  @ApiOperation({ summary: 'The brand’s codes, a page at a time (cursor pagination in _id order)' })
  @ApiResponse({ status: 200, type: CodePageResponse })
  async list(
    @Param() params: BrandParams,
    @Query() query: ListCodesQuery,
    @CurrentPrincipal() principal: BrandPrincipal,
  ): Promise<CodePageResponse> {
    // Page by page, a listing is an export.
    assertCurrentKey(principal, 'listing codes');
    await this.brands.get(params.brandId);
    const limit = query.limit ? Number(query.limit) : PAGE_DEFAULT;
    const after = query.cursor === undefined ? undefined : decodeCodeCursor(query.cursor);
    const page = await this.inventory.page(params.brandId, query.status ?? 'all', limit + 1, after);
    const items = page.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({
        code: r.code,
        status: r.status,
        claimedBy: r.claimedBy,
        claimedAt: r.claimedAt?.toISOString() ?? null,
        expiresAt: r.expiresAt?.toISOString() ?? null,
        createdAt: r.createdAt.toISOString(),
      })),
      nextCursor: page.length > limit && last ? encodeCodeCursor(last.id) : null,
    };
  }
}
