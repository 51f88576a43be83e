import { Body, Controller, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard } from '@app/auth';
import { RateLimitGuard } from '@app/ratelimit';
import { BrandParams } from '../brands/brand.dto';
import { byBrand } from '../brands/brand-rate-key';
import { CodeGenerationService, type GeneratedBatch } from './code-generation.service';
import { CodeBatchResponse, GenerateCodesRequest } from './generate-codes.dto';

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
  constructor(private readonly generation: CodeGenerationService) {}

  @Post()
  @UseGuards(BrandGuard, RateLimitGuard('generationPerBrand', byBrand))
  @ApiOperation({ summary: 'Generate a batch of unique codes for the brand' })
  @ApiResponse({ status: 201, type: CodeBatchResponse })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  @ApiResponse({ status: 422, description: 'capacity_exceeded: the code space would be more than 1% used' })
  @ApiResponse({ status: 429, description: 'rate_limited: RATE_LIMIT_GENERATION_PER_BRAND, see Retry-After' })
  async generate(
    @Param() params: BrandParams,
    @Body() body: GenerateCodesRequest,
  ): Promise<CodeBatchResponse> {
    const batch = await this.generation.generate(params.brandId, {
      count: body.count,
      length: body.length,
      prefix: body.prefix,
      alphabet: body.alphabet,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
    });
    return toBatchResponse(batch);
  }
}
