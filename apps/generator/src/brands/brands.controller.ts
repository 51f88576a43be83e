import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard, BrandGuard } from '@app/auth';
import { BrandParams, BrandStatsResponse, CreateBrandRequest, CreatedBrandResponse } from './brand.dto';
import { BrandsService } from './brands.service';

@ApiTags('brands')
@ApiBearerAuth()
@Controller('v1/brands')
export class BrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Post()
  @UseGuards(AdminGuard)
  @ApiOperation({ summary: 'Register a brand (admin). The API key is shown once.' })
  @ApiResponse({ status: 201, type: CreatedBrandResponse })
  @ApiResponse({ status: 409, description: 'brand_exists' })
  async create(@Body() body: CreateBrandRequest): Promise<CreatedBrandResponse> {
    const { brand, apiKey } = await this.brands.register(body.name, body.id);
    return { brandId: brand.id, name: brand.name, createdAt: brand.createdAt.toISOString(), apiKey };
  }

  @Get(':brandId/stats')
  @UseGuards(BrandGuard)
  @ApiOperation({ summary: 'Counts of the brand’s codes' })
  @ApiResponse({ status: 200, type: BrandStatsResponse })
  stats(@Param() params: BrandParams): Promise<BrandStatsResponse> {
    return this.brands.stats(params.brandId);
  }
}
