import { Body, Controller, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard } from '@app/auth';
import { Idempotent } from '@app/http';
import { RateLimitGuard } from '@app/ratelimit';
import { BrandParams } from '../brand-params';
import { byBrand } from '../brands/brand-rate-key';
import { GenerationJobsService } from './generation-jobs.service';
import { jobPath, JobResponse, toJobResponse } from './job.dto';
import { CodeGenerationService, type GeneratedBatch } from './code-generation.service';
import { CodeBatchResponse, GenerateCodesRequest, withWarnings } from './generate-codes.dto';
import { SlowClaimsAdvisor } from './slow-claims-advisor';

export function toBatchResponse(batch: GeneratedBatch): CodeBatchResponse {
  return {
    batchId: batch.batchId,
    brandId: batch.brandId,
    requested: batch.requested,
    generated: batch.generated,
    format: { ...batch.format },
    expiresAt: batch.expiresAt?.toISOString() ?? null,
    createdAt: batch.createdAt.toISOString(),
  };
}

@ApiTags('codes')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/codes')
export class CodesController {
  constructor(
    private readonly generation: CodeGenerationService,
    private readonly jobs: GenerationJobsService,
    private readonly slowClaims: SlowClaimsAdvisor,
  ) {}

  @Post()
  @UseGuards(BrandGuard, RateLimitGuard('generationPerBrand', byBrand))
  @Idempotent()
  @ApiOperation({ summary: 'Generate a batch of unique codes for the brand' })
  @ApiResponse({
    status: 201,
    type: CodeBatchResponse,
    description: 'Up to GENERATION_INLINE_MAX_COUNT: done',
  })
  @ApiResponse({ status: 202, type: JobResponse, description: 'Larger: a job, followed at Location' })
  @ApiResponse({ status: 503, description: 'service_unavailable: the job queue (NATS) is down' })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  @ApiResponse({ status: 409, description: 'quota_exceeded: over BRAND_MAX_CODES; nothing was stored' })
  @ApiResponse({ status: 422, description: 'capacity_exceeded: the code space would be more than 1% used' })
  @ApiResponse({
    status: 429,
    description:
      'rate_limited: RATE_LIMIT_GENERATION_PER_BRAND; too_many_jobs: BRAND_MAX_CONCURRENT_JOBS. See Retry-After',
  })
  async generate(
    @Param() params: BrandParams,
    @Body() body: GenerateCodesRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CodeBatchResponse | JobResponse> {
    const request = {
      count: body.count,
      length: body.length,
      prefix: body.prefix,
      alphabet: body.alphabet,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
    };
    if (this.jobs.isJobSized(body.count)) {
      const job = await this.jobs.submit(params.brandId, request);
      void reply.status(202).header('location', jobPath(job.id));
      const warnings = await this.slowClaims.warningsFor(`job ${job.id}`, job.brandId, job.requested);
      return withWarnings(toJobResponse(job), warnings);
    }
    const batch = await this.generation.generate(params.brandId, request);
    const warnings = await this.slowClaims.warningsFor(`batch ${batch.batchId}`, batch.brandId);
    return withWarnings(toBatchResponse(batch), warnings);
  }
}
