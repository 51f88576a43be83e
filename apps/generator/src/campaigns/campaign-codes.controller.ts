import { Body, Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard } from '@app/auth';
import { Idempotent } from '@app/http';
import { RateLimitGuard } from '@app/ratelimit';
import { byBrand } from '../brands/brand-rate-key';
import { CodeBatchResponse, GenerateCodesRequest } from '../generation/generate-codes.dto';
import {
  codesRequestOf,
  GenerateCodesHandler,
  GenerateCodesResponses,
} from '../generation/generate-codes.handler';
import { JobResponse } from '../generation/job.dto';
import { CampaignParams, CampaignStatsResponse } from './campaign.dto';
import { CampaignsService } from './campaigns.service';

/** A campaign's codes: generated into it (its format the default), and counted. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/campaigns/:campaignId')
export class CampaignCodesController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly handler: GenerateCodesHandler,
  ) {}

  @Post('codes')
  @UseGuards(BrandGuard, RateLimitGuard('generationPerBrand', byBrand))
  @Idempotent()
  @ApiOperation({
    operationId: 'generateCampaignCodes',
    summary:
      'Generate codes into the campaign, as POST /v1/brands/{brandId}/codes does; the campaign’s format ' +
      'fills what the request leaves out',
  })
  @GenerateCodesResponses()
  @ApiResponse({ status: 404, description: 'brand_not_found, campaign_not_found' })
  async generate(
    @Param() params: CampaignParams,
    @Body() body: GenerateCodesRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CodeBatchResponse | JobResponse> {
    const campaign = await this.campaigns.require(params.brandId, params.campaignId);
    return this.handler.answer(
      params.brandId,
      codesRequestOf(body, campaign.format),
      reply,
      params.campaignId,
    );
  }

  @Get('stats')
  @UseGuards(BrandGuard, RateLimitGuard('readsPerBrand', byBrand))
  @ApiOperation({
    operationId: 'getCampaignStats',
    summary: 'Counts of the campaign’s codes (the default campaign: codes of no other campaign)',
  })
  @ApiResponse({ status: 200, type: CampaignStatsResponse })
  @ApiResponse({ status: 404, description: 'brand_not_found, campaign_not_found' })
  @ApiResponse({ status: 429, description: 'rate_limited: RATE_LIMIT_READS_PER_BRAND, see Retry-After' })
  stats(@Param() params: CampaignParams): Promise<CampaignStatsResponse> {
    return this.campaigns.stats(params.brandId, params.campaignId);
  }
}
