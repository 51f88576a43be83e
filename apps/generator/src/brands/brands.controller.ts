import { Body, Controller, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard, assertCurrentKey, BrandGuard, CurrentPrincipal, type BrandPrincipal } from '@app/auth';
import { Idempotent } from '@app/http';
import { RateLimitGuard } from '@app/ratelimit';
import { BrandParams } from '../brand-params';
import { AdminCallerGuard } from './admin-caller.guard';
import { byBrand } from './brand-rate-key';
import {
  BrandPageResponse,
  BrandResponse,
  BrandStatsResponse,
  CreateBrandRequest,
  CreatedBrandResponse,
  ListBrandsQuery,
  UpdateBrandRequest,
} from './brand.dto';
import { BrandsService, toBrandResponse } from './brands.service';

@ApiTags('brands')
@ApiBearerAuth()
@Controller('v1/brands')
export class BrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Post()
  @UseGuards(AdminGuard)
  @Idempotent()
  @ApiOperation({
    operationId: 'createBrand',
    summary:
      'Register a brand (admin). The API key is shown once, and so is the webhook secret when the generator chose it.',
  })
  @ApiResponse({ status: 201, type: CreatedBrandResponse })
  @ApiResponse({ status: 400, description: 'invalid_input, including a webhook URL that is refused' })
  @ApiResponse({ status: 409, description: 'brand_exists' })
  async create(@Body() body: CreateBrandRequest): Promise<CreatedBrandResponse> {
    const { brand, apiKey, webhookSecret } = await this.brands.register(body);
    return { ...toBrandResponse(brand), apiKey, ...(webhookSecret ? { webhookSecret } : {}) };
  }

  @Get()
  @UseGuards(BrandGuard, AdminCallerGuard)
  @ApiOperation({
    operationId: 'listBrands',
    summary: 'Every brand, a page at a time in id order, optionally by name prefix (admin)',
  })
  @ApiResponse({ status: 200, type: BrandPageResponse })
  @ApiResponse({ status: 400, description: 'invalid_input: limit, namePrefix or cursor' })
  @ApiResponse({ status: 403, description: 'forbidden: a brand key (only the admin token lists brands)' })
  async list(@Query() query: ListBrandsQuery): Promise<BrandPageResponse> {
    const page = await this.brands.list(query);
    return { items: page.items.map((brand) => toBrandResponse(brand)), nextCursor: page.nextCursor };
  }

  @Get(':brandId')
  @UseGuards(BrandGuard)
  @ApiOperation({
    operationId: 'getBrand',
    summary: 'The brand and its settings (the webhook secret is never shown)',
  })
  @ApiResponse({ status: 200, type: BrandResponse })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  async get(@Param() params: BrandParams): Promise<BrandResponse> {
    return toBrandResponse(await this.brands.get(params.brandId));
  }

  @Patch(':brandId')
  @UseGuards(BrandGuard)
  @ApiOperation({
    operationId: 'updateBrand',
    summary: 'Change the name, webhook, pool-low threshold or auto-replenish (null removes)',
  })
  @ApiResponse({ status: 200, type: BrandResponse })
  @ApiResponse({ status: 400, description: 'invalid_input, including a webhook URL that is refused' })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  async update(
    @Param() params: BrandParams,
    @Body() body: UpdateBrandRequest,
    @CurrentPrincipal() principal: BrandPrincipal,
  ): Promise<BrandResponse> {
    // Where the brand's events go, and with which secret, is for its current key to decide.
    if (body.webhook !== undefined) assertCurrentKey(principal, 'changing the webhook');
    return toBrandResponse(await this.brands.update(params.brandId, body));
  }

  @Get(':brandId/stats')
  @UseGuards(BrandGuard, RateLimitGuard('readsPerBrand', byBrand))
  @ApiOperation({ operationId: 'getBrandStats', summary: 'Counts of the brand’s codes' })
  @ApiResponse({ status: 429, description: 'rate_limited: RATE_LIMIT_READS_PER_BRAND, see Retry-After' })
  @ApiResponse({ status: 200, type: BrandStatsResponse })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  stats(@Param() params: BrandParams): Promise<BrandStatsResponse> {
    return this.brands.stats(params.brandId);
  }
}
