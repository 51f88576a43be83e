import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard } from '@app/auth';
import { RateLimitGuard } from '@app/ratelimit';
import { BrandParams } from '../brand-params';
import { byBrand } from '../brands/brand-rate-key';
import { WebhookTestResponse } from './webhook-test.dto';
import { WebhookTester } from './webhook-tester';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/webhook/test')
export class WebhookTestController {
  constructor(private readonly tester: WebhookTester) {}

  @Post()
  @HttpCode(200)
  // Each test is an outgoing request held open for up to its timeout: counted with the brand's reads.
  @UseGuards(BrandGuard, RateLimitGuard('readsPerBrand', byBrand))
  @ApiOperation({
    operationId: 'testWebhook',
    summary: 'Send the brand’s webhook a signed webhook.test event now (one attempt) and report its answer',
  })
  @ApiResponse({
    status: 200,
    type: WebhookTestResponse,
    description: 'Also when the receiver failed: see delivered',
  })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  @ApiResponse({ status: 409, description: 'invalid_state: the brand has no webhook' })
  @ApiResponse({ status: 429, description: 'rate_limited: RATE_LIMIT_READS_PER_BRAND, see Retry-After' })
  test(@Param() params: BrandParams): Promise<WebhookTestResponse> {
    return this.tester.test(params.brandId);
  }
}
