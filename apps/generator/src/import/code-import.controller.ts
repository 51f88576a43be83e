import type { Readable } from 'node:stream';
import { applyDecorators, Controller, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { BrandGuard } from '@app/auth';
import { DomainError } from '@app/contracts';
import { Idempotent } from '@app/http';
import { RateLimitGuard } from '@app/ratelimit';
import { BrandParams } from '../brand-params';
import { byBrand } from '../brands/brand-rate-key';
import { BrandsService } from '../brands/brands.service';
import { CampaignParams } from '../campaigns/campaign.dto';
import { CampaignsService } from '../campaigns/campaigns.service';
import { ApiWarningResponse, WARNINGS_DESCRIPTION, withWarnings } from '../generation/generate-codes.dto';
import { SlowClaimsAdvisor } from '../generation/slow-claims-advisor';
import { IMPORT_CONFIG, type ImportConfig } from '../generator.config';
import { CodeImportService, type ImportReport } from './code-import.service';
import type { RawImportEntry } from './import-entry';
import { bodyLines, csvEntries, jsonArrayEntries, ndjsonEntries, tooLarge } from './import-parsers';

export class ImportRejectionResponse {
  @ApiProperty({ example: 2 }) line!: number;
  @ApiPropertyOptional({ example: 'SPRING-0001' }) code?: string;
  @ApiProperty({ example: 'duplicate' }) reason!: string;
}

export class ImportReportResponse {
  @ApiProperty({ example: '6a1e9f2d-3c4b-4d5e-8f7a-1b2c3d4e5f60' }) importId!: string;
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiPropertyOptional({ example: 'spring-sale', description: 'Only on the campaign route' })
  campaignId?: string;
  @ApiProperty({
    example: 2,
    description: 'Entries read (non-blank lines after the header, or array elements)',
  })
  lines!: number;
  @ApiProperty({ example: 1 }) accepted!: number;
  @ApiProperty({ example: 1 }) rejected!: number;
  @ApiProperty({ type: [ImportRejectionResponse], description: 'The first 100, by line' })
  rejections!: ImportRejectionResponse[];
  @ApiProperty({ example: false, description: 'More rejections than listed' }) truncated!: boolean;
  @ApiPropertyOptional({ type: [ApiWarningResponse], description: WARNINGS_DESCRIPTION })
  warnings?: ApiWarningResponse[];
}

const mediaType = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** Both import routes: the brand's default campaign, and a campaign named in the path. */
const ImportRoute = (operationId: string, summary: string, notFound: string) =>
  applyDecorators(
    HttpCode(201),
    UseGuards(BrandGuard, RateLimitGuard('generationPerBrand', byBrand)),
    Idempotent(),
    ApiOperation({ operationId, summary }),
    ApiConsumes('text/csv', 'application/x-ndjson', 'application/json'),
    ApiBody({
      description:
        'CSV: code[,expiresAt] per line, optional header. NDJSON: "CODE" or {"code","expiresAt"} per line. ' +
        'JSON: an array of either (within the JSON body limit).',
      schema: { type: 'string', example: 'code,expiresAt\nSPRING-0001,2031-01-01T00:00:00Z\nSPRING-0002\n' },
    }),
    ApiResponse({
      status: 201,
      type: ImportReportResponse,
      description: 'What was accepted and rejected, by line',
    }),
    ApiResponse({ status: 404, description: notFound }),
    ApiResponse({
      status: 409,
      description:
        'quota_exceeded: the import would pass BRAND_MAX_CODES; what it stored is taken back, but ' +
        'codes claimed meanwhile (details.kept)',
    }),
    ApiResponse({
      status: 413,
      description:
        'payload_too_large: over IMPORT_MAX_BYTES or GENERATION_MAX_COUNT; details.report says what was stored',
    }),
    ApiResponse({ status: 415, description: 'unsupported_media_type' }),
  );

@ApiTags('codes')
@ApiBearerAuth()
@Controller('v1/brands/:brandId')
export class CodeImportController {
  constructor(
    @Inject(IMPORT_CONFIG) private readonly settings: ImportConfig,
    private readonly brands: BrandsService,
    private readonly campaigns: CampaignsService,
    private readonly imports: CodeImportService,
    private readonly slowClaims: SlowClaimsAdvisor,
  ) {}

  @Post('codes/import')
  @ImportRoute(
    'importCodes',
    'Import codes made elsewhere: CSV (code[,expiresAt]) or NDJSON streamed, or a JSON array',
    'brand_not_found',
  )
  async import(@Param() params: BrandParams, @Req() request: FastifyRequest): Promise<ImportReportResponse> {
    // Before a byte of the body is read: an unknown brand changes nothing and costs no upload.
    await this.brands.get(params.brandId);
    return this.answer(await this.imports.import(params.brandId, this.entriesOf(request)));
  }

  @Post('campaigns/:campaignId/codes/import')
  @ImportRoute(
    'importCampaignCodes',
    'Import codes made elsewhere into the campaign, as POST /v1/brands/{brandId}/codes/import does',
    'brand_not_found, campaign_not_found',
  )
  async importIntoCampaign(
    @Param() params: CampaignParams,
    @Req() request: FastifyRequest,
  ): Promise<ImportReportResponse> {
    const { brandId, campaignId } = params;
    await this.campaigns.require(brandId, campaignId);
    return this.answer(await this.imports.import(brandId, this.entriesOf(request), campaignId));
  }

  private async answer(report: ImportReport): Promise<ImportReportResponse> {
    const warnings = await this.slowClaims.warningsFor(`import ${report.importId}`, report.brandId);
    return withWarnings(toReportResponse(report), warnings);
  }

  private entriesOf(request: FastifyRequest): AsyncIterable<RawImportEntry> | Iterable<RawImportEntry> {
    const type = mediaType(request);
    if (type === 'application/json') return jsonArrayEntries(request.body);
    if (type !== 'text/csv' && type !== 'application/x-ndjson') {
      throw new DomainError(
        'unsupported_media_type',
        'Send the codes as text/csv, application/x-ndjson or application/json',
      );
    }
    const { maxBytes } = this.settings;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
    const lines = bodyLines(request.body as Readable, maxBytes);
    return type === 'text/csv' ? csvEntries(lines) : ndjsonEntries(lines);
  }
}

function toReportResponse(report: ImportReport): ImportReportResponse {
  return { ...report, rejections: report.rejections.map((r) => ({ ...r })) };
}
