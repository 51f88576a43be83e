import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { assertCanActOnBrand, BrandGuard, CurrentPrincipal, type BrandPrincipal } from '@app/auth';
import { legacySuccess, type LegacyEnvelope } from '@app/http';
import { byClientIp, RateLimitGuard } from '@app/ratelimit';
import { byBrand } from '../brands/brand-rate-key';
import { BrandsService } from '../brands/brands.service';
import { CodeGenerationService } from '../codes/code-generation.service';
import { LegacyEnvelopeResponse, LegacyGenerateRequest } from './legacy-generate.dto';

/** The predecessor's route, same request and response shapes. */
@ApiTags('seed-compatible')
@ApiBearerAuth()
@Controller('discounts/api/v1.0')
@UseGuards(RateLimitGuard('legacyPerIp', byClientIp))
export class LegacyGenerateController {
  constructor(
    private readonly brands: BrandsService,
    private readonly generation: CodeGenerationService,
  ) {}

  @Post('generate')
  @HttpCode(200)
  @UseGuards(BrandGuard, RateLimitGuard('generationPerBrand', byBrand))
  @ApiOperation({ summary: 'Generate codes (registers the brand on first use, as the predecessor did)' })
  @ApiResponse({ status: 200, type: LegacyEnvelopeResponse })
  async generate(
    @Body() body: LegacyGenerateRequest,
    @CurrentPrincipal() principal: BrandPrincipal,
  ): Promise<LegacyEnvelope> {
    const brandId = String(body.brand_id);
    assertCanActOnBrand(principal, brandId);
    const request = { count: body.number_of_codes };
    // Before registering the brand: a request refused for its count must leave nothing behind.
    this.generation.checkRequest(request);
    await this.brands.ensureRegistered(brandId);
    await this.generation.generate(brandId, request);
    return legacySuccess('', 'System generated discount codes successfully');
  }
}
