import { Controller, HttpStatus, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUserId, JwtUserGuard, type AuthenticatedRequest } from '@app/auth';
import { DEFAULT_CAMPAIGN_ID, DomainError, ID_PATTERN_DESCRIPTION } from '@app/contracts';
import { Idempotent, IdParamPipe } from '@app/http';
import { RateLimitGuard, type RateKeyOf } from '@app/ratelimit';
import { CampaignClaimService } from './campaign-claim.service';
import { CampaignClaimResponse } from './campaign-claim.dto';
import { noteClaimOutcome } from './claim-metrics.hook';

/** Set by JwtUserGuard, which runs first. */
const byUser: RateKeyOf = (request) => (request as AuthenticatedRequest).userId ?? null;

@ApiTags('claims')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/campaigns/:campaignId/claims')
export class CampaignClaimsController {
  constructor(private readonly claims: CampaignClaimService) {}

  @Post()
  // The same limit as the brand-level route, and shared with it: one budget of claims per user.
  @UseGuards(JwtUserGuard, RateLimitGuard('claimsPerUser', byUser))
  @Idempotent()
  @ApiOperation({
    operationId: 'claimCampaignCode',
    summary: 'Claim a code of a campaign for the user of the JWT (sub)',
    description:
      `A user holds at most the campaign's perUserLimit codes; claims beyond it return the codes held. ` +
      `The campaign \`${DEFAULT_CAMPAIGN_ID}\` is the brand-level claim (POST /v1/brands/{brandId}/claims).`,
  })
  @ApiParam({ name: 'brandId', example: 'acme', description: ID_PATTERN_DESCRIPTION })
  @ApiParam({ name: 'campaignId', example: 'spring-sale', description: ID_PATTERN_DESCRIPTION })
  @ApiResponse({ status: 201, type: CampaignClaimResponse, description: 'A new claim' })
  @ApiResponse({
    status: 200,
    type: CampaignClaimResponse,
    description:
      'Nothing new claimed: the user holds perUserLimit codes of the campaign already, or holds some ' +
      'and none is left; `code` is the most recent of them',
  })
  @ApiResponse({ status: 400, description: 'invalid_input: brandId or campaignId malformed' })
  @ApiResponse({ status: 404, description: 'brand_not_found, campaign_not_found' })
  @ApiResponse({
    status: 409,
    description:
      'campaign_not_active: before its startsAt or from its endsAt on (details: startsAt, endsAt); ' +
      'codes_exhausted: no code left and the user holds none',
  })
  @ApiResponse({ status: 429, description: 'rate_limited: RATE_LIMIT_CLAIMS_PER_USER, see Retry-After' })
  async claim(
    @Param('brandId', new IdParamPipe('brandId')) brandId: string,
    @Param('campaignId', new IdParamPipe('campaignId')) campaignId: string,
    @CurrentUserId() userId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CampaignClaimResponse> {
    const { claim, held, isNew } = await this.claims
      .claim(brandId, campaignId, userId)
      .catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'campaign_not_active')
          noteClaimOutcome(request, 'inactive');
        throw error;
      });
    void reply.status(isNew ? HttpStatus.CREATED : HttpStatus.OK);
    return {
      code: claim.code,
      brandId: claim.brandId,
      campaignId,
      claimedAt: claim.claimedAt.toISOString(),
      codes: held.map((code) => ({ code: code.code, claimedAt: code.claimedAt.toISOString() })),
    };
  }
}
