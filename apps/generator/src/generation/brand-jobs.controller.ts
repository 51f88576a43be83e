import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard } from '@app/auth';
import { decodeNewestFirstCursor, encodeNewestFirstCursor, pageLimit, pageOf } from '@app/http';
import { BrandsRepository, GenerationJobListingRepository } from '@app/persistence';
import { RateLimitGuard } from '@app/ratelimit';
import { BrandParams } from '../brand-params';
import { byBrand } from '../brands/brand-rate-key';
import { toJobResponse } from './job.dto';
import { JOBS_PAGE, JobPageResponse, ListJobsQuery } from './job-listing.dto';

@ApiTags('codes')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/jobs')
export class BrandJobsController {
  constructor(
    private readonly jobs: GenerationJobListingRepository,
    private readonly brands: BrandsRepository,
  ) {}

  @Get()
  @UseGuards(BrandGuard, RateLimitGuard('readsPerBrand', byBrand))
  @ApiOperation({
    operationId: 'listBrandJobs',
    summary: 'The brand’s generation jobs, newest first, optionally by status',
  })
  @ApiResponse({ status: 200, type: JobPageResponse })
  @ApiResponse({ status: 400, description: 'invalid_input: status, limit or cursor' })
  @ApiResponse({ status: 403, description: 'forbidden: another brand’s key' })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  @ApiResponse({ status: 429, description: 'rate_limited: RATE_LIMIT_READS_PER_BRAND, see Retry-After' })
  async list(@Param() params: BrandParams, @Query() query: ListJobsQuery): Promise<JobPageResponse> {
    const limit = pageLimit(query.limit, JOBS_PAGE);
    const after = query.cursor === undefined ? undefined : decodeNewestFirstCursor(query.cursor);
    await this.brands.get(params.brandId);
    const rows = await this.jobs.listOf(params.brandId, { status: query.status, limit: limit + 1, after });
    const page = pageOf(rows, limit, encodeNewestFirstCursor);
    const now = new Date();
    return { items: page.items.map((job) => toJobResponse(job, now)), nextCursor: page.nextCursor };
  }
}
