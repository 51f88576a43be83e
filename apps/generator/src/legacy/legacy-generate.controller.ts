import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { assertCanActOnBrand, BrandGuard, CurrentPrincipal, type BrandPrincipal } from '@app/auth';
import { Idempotent, LegacyEnvelopeSchema, legacySuccess, type LegacyEnvelope } from '@app/http';
import { byClientIp, RateLimitGuard } from '@app/ratelimit';
import { byBrand } from '../brands/brand-rate-key';
import { BrandsService } from '../brands/brands.service';
import { CodeGenerationService } from '../generation/code-generation.service';
import { GenerationJobsService } from '../generation/generation-jobs.service';
import { jobPath } from '../generation/job.dto';
import { SlowClaimsAdvisor } from '../generation/slow-claims-advisor';
import { BrandQuotas } from '../quotas/brand-quotas';
import { legacyBrandIdOf } from './legacy-brand-id';
import { LegacyGenerateRequest } from './legacy-generate.dto';

/** The predecessor's route, same request and response shapes. */
@ApiTags('seed-compatible')
@ApiBearerAuth()
@Controller('discounts/api/v1.0')
@UseGuards(RateLimitGuard('legacyPerIp', byClientIp))
export class LegacyGenerateController {
  constructor(
    private readonly brands: BrandsService,
    private readonly generation: CodeGenerationService,
    private readonly jobs: GenerationJobsService,
    private readonly quotas: BrandQuotas,
    private readonly slowClaims: SlowClaimsAdvisor,
  ) {}

  @Post('generate')
  @HttpCode(200)
  @UseGuards(BrandGuard, RateLimitGuard('generationPerBrand', byBrand))
  // Honoured when sent; without the header the predecessor's answers are untouched.
  @Idempotent()
  @ApiOperation({
    operationId: 'legacyGenerateCodes',
    summary: 'Generate codes (registers the brand on first use, as the predecessor did)',
  })
  @ApiResponse({ status: 200, type: LegacyEnvelopeSchema })
  @ApiResponse({ status: 400, description: 'A brand_id or number_of_codes that is not valid' })
  @ApiResponse({ status: 403, description: 'The API key belongs to another brand than brand_id' })
  @ApiResponse({ status: 409, description: 'Over BRAND_MAX_CODES (quota_exceeded); nothing was stored' })
  @ApiResponse({ status: 429, description: 'Too many requests or jobs at once; see Retry-After' })
  @ApiResponse({
    status: 202,
    type: LegacyEnvelopeSchema,
    description: 'Above GENERATION_INLINE_MAX_COUNT: data is the job id, followed at GET /v1/jobs/{jobId}',
  })
  async generate(
    @Body() body: LegacyGenerateRequest,
    @CurrentPrincipal() principal: BrandPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LegacyEnvelope> {
    const brandId = legacyBrandIdOf(body.brand_id);
    assertCanActOnBrand(principal, brandId);
    const request = { count: body.number_of_codes };
    // Before registering the brand: a request refused for its count must leave nothing behind.
    this.generation.checkRequest(request);
    this.quotas.assertRequestFits(brandId, request.count);
    await this.brands.ensureRegistered(brandId);
    if (this.jobs.isJobSized(request.count)) {
      const job = await this.jobs.submit(brandId, request);
      void reply.status(202).header('location', jobPath(job.id));
      // The dev server's warning is logged only: the predecessor's answers keep their shape.
      await this.slowClaims.warningsFor(`job ${job.id}`, brandId, job.requested);
      // Same envelope as the predecessor's answer; data carries the job id to follow.
      return legacySuccess(job.id, `Generation job queued; follow it at GET ${jobPath(job.id)}`);
    }
    const batch = await this.generation.generate(brandId, request);
    await this.slowClaims.warningsFor(`batch ${batch.batchId}`, brandId);
    return legacySuccess('', 'System generated discount codes successfully');
  }
}
