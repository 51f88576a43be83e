import { Controller, HttpStatus, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUserId, JwtUserGuard, type AuthenticatedRequest } from '@app/auth';
import { ID_PATTERN_DESCRIPTION } from '@app/contracts';
import { Idempotent, IdParamPipe } from '@app/http';
import { RateLimitGuard, type RateKeyOf } from '@app/ratelimit';
import { ClaimCodeService } from './claim-code.service';
import { ClaimResponse } from './claim.dto';

/** Set by JwtUserGuard, which runs first. */
const byUser: RateKeyOf = (request) => (request as AuthenticatedRequest).userId ?? null;

@ApiTags('claims')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/claims')
export class ClaimsController {
  constructor(private readonly claims: ClaimCodeService) {}

  @Post()
  @UseGuards(JwtUserGuard, RateLimitGuard('claimsPerUser', byUser))
  @Idempotent()
  @ApiOperation({
    operationId: 'claimCode',
    summary: 'Claim a code of the brand for the user of the JWT (sub)',
  })
  @ApiParam({ name: 'brandId', example: 'acme', description: ID_PATTERN_DESCRIPTION })
  @ApiResponse({ status: 201, type: ClaimResponse, description: 'A new claim' })
  @ApiResponse({ status: 200, type: ClaimResponse, description: 'The user already holds this code' })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  @ApiResponse({ status: 409, description: 'codes_exhausted' })
  @ApiResponse({ status: 429, description: 'rate_limited: RATE_LIMIT_CLAIMS_PER_USER, see Retry-After' })
  async claim(
    @Param('brandId', new IdParamPipe('brandId')) brandId: string,
    @CurrentUserId() userId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClaimResponse> {
    const { claim, isNew } = await this.claims.claim(brandId, userId);
    void reply.status(isNew ? HttpStatus.CREATED : HttpStatus.OK);
    return { code: claim.code, brandId: claim.brandId, claimedAt: claim.claimedAt.toISOString() };
  }
}
