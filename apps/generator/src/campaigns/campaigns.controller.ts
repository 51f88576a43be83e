import { Body, Controller, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard } from '@app/auth';
import { Idempotent } from '@app/http';
import { BrandParams } from '../brand-params';
import {
  CampaignPageResponse,
  CampaignParams,
  CampaignResponse,
  CreateCampaignRequest,
  ListCampaignsQuery,
  UpdateCampaignRequest,
} from './campaign.dto';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/campaigns')
@UseGuards(BrandGuard)
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    operationId: 'createCampaign',
    summary: 'Create a campaign: its dates, per-user limit, default code format and metadata',
  })
  @ApiResponse({ status: 201, type: CampaignResponse })
  @ApiResponse({
    status: 400,
    description: 'invalid_input, including startsAt not before endsAt and a format that cannot generate',
  })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  @ApiResponse({ status: 409, description: 'campaign_exists (also for "default", which every brand has)' })
  create(@Param() params: BrandParams, @Body() body: CreateCampaignRequest): Promise<CampaignResponse> {
    return this.campaigns.create(params.brandId, body);
  }

  @Get()
  @ApiOperation({
    operationId: 'listCampaigns',
    summary: 'The brand’s campaigns, the default one first, a page at a time',
  })
  @ApiResponse({ status: 200, type: CampaignPageResponse })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  list(@Param() params: BrandParams, @Query() query: ListCampaignsQuery): Promise<CampaignPageResponse> {
    return this.campaigns.list(params.brandId, query);
  }

  @Get(':campaignId')
  @ApiOperation({ operationId: 'getCampaign', summary: 'A campaign ("default" included)' })
  @ApiResponse({ status: 200, type: CampaignResponse })
  @ApiResponse({ status: 404, description: 'brand_not_found, campaign_not_found' })
  get(@Param() params: CampaignParams): Promise<CampaignResponse> {
    return this.campaigns.get(params.brandId, params.campaignId);
  }

  @Patch(':campaignId')
  @ApiOperation({
    operationId: 'updateCampaign',
    summary: 'Change a campaign: absent fields stay, null removes startsAt, endsAt, format or metadata',
  })
  @ApiResponse({ status: 200, type: CampaignResponse })
  @ApiResponse({
    status: 400,
    description: 'invalid_input, including dates that would no longer be in order',
  })
  @ApiResponse({ status: 404, description: 'brand_not_found, campaign_not_found' })
  @ApiResponse({ status: 409, description: 'invalid_state: the default campaign cannot be changed' })
  update(@Param() params: CampaignParams, @Body() body: UpdateCampaignRequest): Promise<CampaignResponse> {
    return this.campaigns.update(params.brandId, params.campaignId, body);
  }
}
