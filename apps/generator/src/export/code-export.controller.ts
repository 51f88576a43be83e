import { pipeline } from 'node:stream';
import { Controller, Get, Logger, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { assertCurrentKey, BrandGuard, CurrentPrincipal, type BrandPrincipal } from '@app/auth';
import { invalidCursor, pageLimit, pageOf } from '@app/http';
import { CodeListingRepository, type CodeListFilter, type CodeRow } from '@app/persistence';
import { RateLimitGuard } from '@app/ratelimit';
import { BrandParams } from '../brand-params';
import { byBrand } from '../brands/brand-rate-key';
import { BrandsService } from '../brands/brands.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import {
  CODES_PAGE,
  codeListFilter,
  CodePageResponse,
  type CodeRowResponse,
  ExportQuery,
  ListCodesQuery,
} from './code-listing.dto';
import { csvTransform } from './csv';
import { ExportSlots } from './export-slots';

/**
 * The first five columns are the export's columns from before campaigns and redemptions; the
 * ones since are appended, so a reader that takes columns by position reads what it always read.
 */
const CSV_HEADER = [
  'code',
  'status',
  'claimed_by',
  'claimed_at',
  'expires_at',
  'campaign_id',
  'redeemed_at',
  'order_id',
  'redemption_id',
];
const csvFields = (r: CodeRow) => [
  r.code,
  r.status,
  r.claimedBy,
  r.claimedAt,
  r.expiresAt,
  r.campaignId,
  r.redeemedAt,
  r.orderId,
  r.redemptionId,
];

function toRowResponse(r: CodeRow): CodeRowResponse {
  return {
    code: r.code,
    status: r.status,
    claimedBy: r.claimedBy,
    claimedAt: r.claimedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    campaignId: r.campaignId,
    redeemedAt: r.redeemedAt?.toISOString() ?? null,
    orderId: r.orderId,
    redemptionId: r.redemptionId,
  };
}

/** Opaque to clients: the last _id of a page. */
export const encodeCodeCursor = (id: string): string => Buffer.from(id, 'hex').toString('base64url');
export function decodeCodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('hex');
  if (!/^[0-9a-f]{24}$/.test(id)) throw invalidCursor();
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
    private readonly listing: CodeListingRepository,
    private readonly campaigns: CampaignsService,
    private readonly slots: ExportSlots,
  ) {}

  @Get('codes.csv')
  @ApiOperation({
    operationId: 'exportCodesCsv',
    summary:
      'The brand’s codes as CSV, streamed (code, status, claimed by/at, expires at, campaign, ' +
      'redeemed at, order, redemption), optionally by status, campaign, batch or job',
  })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'text/csv' })
  @ApiResponse({
    status: 429,
    description:
      'rate_limited: RATE_LIMIT_READS_PER_BRAND; too_many_exports: BRAND_MAX_CONCURRENT_EXPORTS. See Retry-After',
  })
  @ApiResponse({ status: 400, description: 'invalid_input: a filter, or batchId and jobId both' })
  @ApiResponse({ status: 404, description: 'brand_not_found, campaign_not_found' })
  async exportCsv(
    @Param() params: BrandParams,
    @Query() query: ExportQuery,
    @Res() reply: FastifyReply,
    @CurrentPrincipal() principal: BrandPrincipal,
  ): Promise<void> {
    assertCurrentKey(principal, 'exporting codes');
    // The slot is the response's, so it cannot outlive the export.
    this.slots.holdFor(params.brandId, reply.raw);
    const filter = await this.filterOf(params.brandId, query);
    const rows = this.listing.streamRows(params.brandId, filter);
    // pipeline: the socket's backpressure pauses the cursor; a client that goes away ends it.
    const csv = pipeline(rows, csvTransform<CodeRow>(CSV_HEADER, csvFields), (error) => {
      if (error) this.logger.warn(`CSV export of ${params.brandId} ended early: ${error.message}`);
    });
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${params.brandId}-codes-${filter.status}.csv"`)
      .send(csv);
  }

  @Get('codes')
  @ApiOperation({
    operationId: 'listCodes',
    summary:
      'The brand’s codes, a page at a time (cursor pagination in _id order), optionally by status, ' +
      'campaign, batch or job',
  })
  @ApiResponse({ status: 200, type: CodePageResponse })
  @ApiResponse({
    status: 400,
    description: 'invalid_input: a filter, limit or cursor, or batchId and jobId both',
  })
  @ApiResponse({ status: 404, description: 'brand_not_found, campaign_not_found' })
  async list(
    @Param() params: BrandParams,
    @Query() query: ListCodesQuery,
    @CurrentPrincipal() principal: BrandPrincipal,
  ): Promise<CodePageResponse> {
    // Page by page, a listing is an export.
    assertCurrentKey(principal, 'listing codes');
    const limit = pageLimit(query.limit, CODES_PAGE);
    const after = query.cursor === undefined ? undefined : decodeCodeCursor(query.cursor);
    const filter = await this.filterOf(params.brandId, query);
    const rows = await this.listing.page(params.brandId, filter, limit + 1, after);
    const page = pageOf(rows, limit, (last) => encodeCodeCursor(last.id));
    return { items: page.items.map(toRowResponse), nextCursor: page.nextCursor };
  }

  /** The listing's filter, once the brand (and the campaign asked for) are known to exist. */
  private async filterOf(brandId: string, query: ExportQuery): Promise<CodeListFilter> {
    const filter = codeListFilter(query);
    if (filter.campaignId === undefined) await this.brands.get(brandId);
    else await this.campaigns.require(brandId, filter.campaignId);
    return filter;
  }
}
