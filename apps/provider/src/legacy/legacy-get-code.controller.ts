import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { LegacyEnvelopeSchema, legacySuccess, type LegacyEnvelope } from '@app/http';
import { byClientIp, RateLimitGuard } from '@app/ratelimit';
import { ClaimCodeService } from '../claims/claim-code.service';
import { noteClaimOutcome } from '../claims/claim-metrics.hook';
import { UsersService } from '../users/users.service';
import { LegacyGetCodeParams } from './legacy-get-code.dto';

/**
 * The predecessor's route, same shapes. Its URL carries the user's secret, which is why nothing
 * in this service logs raw URLs.
 */
@ApiTags('seed-compatible')
@Controller('discounts/api/v1.0')
@UseGuards(RateLimitGuard('legacyPerIp', byClientIp))
export class LegacyGetCodeController {
  constructor(
    private readonly users: UsersService,
    private readonly claims: ClaimCodeService,
  ) {}

  @Get('get_code/:user_id/:user_secret/:brand_id')
  @ApiOperation({
    operationId: 'legacyGetCode',
    summary: 'Claim a code of the brand for a registered user (idempotent per user and brand)',
  })
  @ApiResponse({
    status: 200,
    type: LegacyEnvelopeSchema,
    description:
      'The code claimed is `data`: {"code": "201", "data": "<code>", "message": "", "status": "success"}',
  })
  @ApiResponse({ status: 400, description: 'A user id, secret or brand id that is not well formed' })
  @ApiResponse({ status: 401, description: 'An unknown user, or a wrong secret' })
  @ApiResponse({ status: 404, description: 'An unknown brand' })
  @ApiResponse({ status: 409, description: 'The brand has no codes left' })
  @ApiResponse({ status: 429, description: 'Too many requests from this IP, or too many wrong secrets' })
  async getCode(
    @Param() params: LegacyGetCodeParams,
    @Req() request: FastifyRequest,
  ): Promise<LegacyEnvelope> {
    await this.users.authenticate(params.user_id, params.user_secret, byClientIp(request));
    const { claim, isNew } = await this.claims.claim(params.brand_id, params.user_id);
    noteClaimOutcome(request, isNew ? 'new' : 'repeat');
    return legacySuccess(claim.code, '');
  }
}
