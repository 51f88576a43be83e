import { Body, Controller, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard } from '@app/auth';
import { Idempotent } from '@app/http';
import { RateLimitGuard } from '@app/ratelimit';
import { BrandParams } from '../brand-params';
import { byBrand } from '../brands/brand-rate-key';
import { codesRequestOf, GenerateCodesHandler, GenerateCodesResponses } from './generate-codes.handler';
import { JobResponse } from './job.dto';
import { CodeBatchResponse, GenerateCodesRequest } from './generate-codes.dto';

@ApiTags('codes')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/codes')
export class CodesController {
  constructor(private readonly handler: GenerateCodesHandler) {}

  @Post()
  @UseGuards(BrandGuard, RateLimitGuard('generationPerBrand', byBrand))
  @Idempotent()
  @ApiOperation({ operationId: 'generateCodes', summary: 'Generate a batch of unique codes for the brand' })
  @GenerateCodesResponses()
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  generate(
    @Param() params: BrandParams,
    @Body() body: GenerateCodesRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CodeBatchResponse | JobResponse> {
    return this.handler.answer(params.brandId, codesRequestOf(body), reply);
  }
}
