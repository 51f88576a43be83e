import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard } from '@app/auth';
import { REDEMPTION_REFUSALS } from '@app/contracts';
import { Idempotent } from '@app/http';
import { BrandParams } from '../brand-params';
import {
  RedeemCodeRequest,
  RedemptionParams,
  RedemptionResponse,
  ValidateCodeRequest,
  ValidationResponse,
} from './redemption.dto';
import { RedemptionsService } from './redemptions.service';

const REFUSALS = REDEMPTION_REFUSALS.filter((r) => r !== 'unknown_code' && r !== 'campaign_not_active');
const FORBIDDEN = { status: 403, description: "forbidden: another brand's API key" } as const;
const BRAND_NOT_FOUND = { status: 404, description: 'brand_not_found' } as const;
const INVALID_INPUT = { status: 400, description: 'invalid_input: nothing was changed' } as const;

@ApiTags('redemptions')
@ApiBearerAuth()
@Controller('v1/brands/:brandId')
@UseGuards(BrandGuard)
export class RedemptionsController {
  constructor(private readonly redemptions: RedemptionsService) {}

  @Post('validations')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'validateCode',
    summary: 'Whether a code can be redeemed now, and why not; changes nothing',
    description:
      `reason: null or one of ${REDEMPTION_REFUSALS.join(', ')}. A code redeemed already is ` +
      'already_redeemed, even for the order that redeemed it.',
  })
  @ApiResponse({ status: 200, type: ValidationResponse })
  @ApiResponse(INVALID_INPUT)
  @ApiResponse(FORBIDDEN)
  @ApiResponse(BRAND_NOT_FOUND)
  validate(@Param() params: BrandParams, @Body() body: ValidateCodeRequest): Promise<ValidationResponse> {
    return this.redemptions.validate(params.brandId, body);
  }

  @Post('redemptions')
  @Idempotent()
  @ApiOperation({
    operationId: 'redeemCode',
    summary: 'Redeem a claimed code with an order (claimed → redeemed, one atomic write)',
    description:
      'Idempotent by orderId: the same order redeeming the same code again gets the same redemption.',
  })
  @ApiResponse({ status: 201, type: RedemptionResponse, description: 'Redeemed now' })
  @ApiResponse({ status: 200, type: RedemptionResponse, description: 'This order had redeemed it already' })
  @ApiResponse(INVALID_INPUT)
  @ApiResponse(FORBIDDEN)
  @ApiResponse({ status: 404, description: 'brand_not_found; code_not_found (details.reason: unknown_code)' })
  @ApiResponse({
    status: 409,
    description:
      `code_not_redeemable (details.reason: ${REFUSALS.join(', ')}); ` +
      'campaign_not_active (details.reason: campaign_not_active): outside the campaign’s dates',
  })
  async redeem(
    @Param() params: BrandParams,
    @Body() body: RedeemCodeRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RedemptionResponse> {
    const { replayed, redemption } = await this.redemptions.redeem(params.brandId, body);
    if (replayed) void reply.status(200);
    return redemption;
  }

  @Get('redemptions/:redemptionId')
  @ApiOperation({ operationId: 'getRedemption', summary: 'A redemption, current (redeemed) or rolled back' })
  @ApiResponse({ status: 200, type: RedemptionResponse })
  @ApiResponse({ status: 400, description: 'invalid_input: not a redemption id' })
  @ApiResponse(FORBIDDEN)
  @ApiResponse({ status: 404, description: 'brand_not_found, redemption_not_found' })
  get(@Param() params: RedemptionParams): Promise<RedemptionResponse> {
    return this.redemptions.get(params.brandId, params.redemptionId);
  }

  @Post('redemptions/:redemptionId/rollback')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rollbackRedemption',
    summary: 'Roll a redemption back (redeemed → claimed: the holder keeps the code)',
    description:
      'Within REDEMPTION_ROLLBACK_WINDOW_SECONDS of the redemption. Idempotent: a repeat answers the same.',
  })
  @ApiResponse({ status: 200, type: RedemptionResponse, description: 'status rolled_back' })
  @ApiResponse({ status: 400, description: 'invalid_input: not a redemption id' })
  @ApiResponse(FORBIDDEN)
  @ApiResponse({ status: 404, description: 'brand_not_found, redemption_not_found' })
  @ApiResponse({ status: 409, description: 'rollback_window_passed: the redemption stands' })
  rollback(@Param() params: RedemptionParams): Promise<RedemptionResponse> {
    return this.redemptions.rollback(params.brandId, params.redemptionId);
  }
}
