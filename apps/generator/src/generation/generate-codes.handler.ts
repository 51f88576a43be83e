import { applyDecorators, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiResponse } from '@nestjs/swagger';
import type { CodeFormatOptions } from '@app/codegen';
import { storedCampaignId } from '@app/contracts';
import {
  CodeGenerationService,
  type GeneratedBatch,
  type GenerationRequest,
} from './code-generation.service';
import { CodeBatchResponse, GenerateCodesRequest, withWarnings } from './generate-codes.dto';
import { GenerationJobsService } from './generation-jobs.service';
import { jobPath, JobResponse, toJobResponse } from './job.dto';
import { SlowClaimsAdvisor } from './slow-claims-advisor';

/** `campaignId`: a campaign's route names its campaign; the brand's route answers as before campaigns. */
export function toBatchResponse(batch: GeneratedBatch, campaignId?: string): CodeBatchResponse {
  return {
    batchId: batch.batchId,
    brandId: batch.brandId,
    ...(campaignId !== undefined ? { campaignId } : {}),
    requested: batch.requested,
    generated: batch.generated,
    format: { ...batch.format },
    expiresAt: batch.expiresAt?.toISOString() ?? null,
    createdAt: batch.createdAt.toISOString(),
  };
}

/** What a generate request names, its campaign aside. */
export type CodesRequest = Omit<GenerationRequest, 'campaignId'>;

/**
 * The request a body names; `defaults` fill the format fields it leaves out (a campaign's format),
 * field by field.
 */
export function codesRequestOf(body: GenerateCodesRequest, defaults: CodeFormatOptions = {}): CodesRequest {
  return {
    count: body.count,
    length: body.length ?? defaults.length,
    prefix: body.prefix ?? defaults.prefix,
    alphabet: body.alphabet ?? defaults.alphabet,
    expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
  };
}

/** The OpenAPI answers of every generate route. */
export const GenerateCodesResponses = (): MethodDecorator =>
  applyDecorators(
    ApiResponse({
      status: 201,
      type: CodeBatchResponse,
      description: 'Up to GENERATION_INLINE_MAX_COUNT: done',
    }),
    ApiResponse({ status: 202, type: JobResponse, description: 'Larger: a job, followed at Location' }),
    ApiResponse({ status: 503, description: 'service_unavailable: the job queue (NATS) is down' }),
    ApiResponse({ status: 409, description: 'quota_exceeded: over BRAND_MAX_CODES; nothing was stored' }),
    ApiResponse({ status: 422, description: 'capacity_exceeded: the code space would be more than 1% used' }),
    ApiResponse({
      status: 429,
      description:
        'rate_limited: RATE_LIMIT_GENERATION_PER_BRAND; too_many_jobs: BRAND_MAX_CONCURRENT_JOBS. See Retry-After',
    }),
  );

/**
 * The one answer to "generate codes", whichever route asks (the brand's, a campaign's): up to
 * GENERATION_INLINE_MAX_COUNT stored inline (201 with the batch), more as a job (202, Location).
 */
@Injectable()
export class GenerateCodesHandler {
  constructor(
    private readonly generation: CodeGenerationService,
    private readonly jobs: GenerationJobsService,
    private readonly slowClaims: SlowClaimsAdvisor,
  ) {}

  /**
   * Without `campaignId` (the brand-level route) the codes go to the default campaign and the
   * answer is the one from before campaigns; with it, the answer names the campaign after brandId.
   */
  async answer(
    brandId: string,
    request: CodesRequest,
    reply: FastifyReply,
    campaignId?: string,
  ): Promise<CodeBatchResponse | JobResponse> {
    const stored = campaignId === undefined ? undefined : storedCampaignId(campaignId);
    const withCampaign: GenerationRequest = {
      ...request,
      ...(stored !== undefined ? { campaignId: stored } : {}),
    };
    if (this.jobs.isJobSized(request.count)) {
      const job = await this.jobs.submit(brandId, withCampaign);
      void reply.status(202).header('location', jobPath(job.id));
      const warnings = await this.slowClaims.warningsFor(`job ${job.id}`, job.brandId, job.requested);
      return withWarnings(toJobResponse(job, new Date(), campaignId), warnings);
    }
    const batch = await this.generation.generate(brandId, withCampaign);
    const warnings = await this.slowClaims.warningsFor(`batch ${batch.batchId}`, batch.brandId);
    return withWarnings(toBatchResponse(batch, campaignId), warnings);
  }
}
