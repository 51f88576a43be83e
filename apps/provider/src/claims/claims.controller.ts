import { Controller, HttpStatus, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUserId, JwtUserGuard } from '@app/auth';
import { ClaimCodeService } from './claim-code.service';
import { ClaimParams, ClaimResponse } from './claim.dto';

@ApiTags('claims')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/claims')
export class ClaimsController {
  constructor(private readonly claims: ClaimCodeService) {}

  @Post()
  @UseGuards(JwtUserGuard)
  @ApiOperation({ summary: 'Claim a code of the brand for the user of the JWT (sub)' })
  @ApiResponse({ status: 201, type: ClaimResponse, description: 'A new claim' })
  @ApiResponse({ status: 200, type: ClaimResponse, description: 'The user already holds this code' })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  @ApiResponse({ status: 409, description: 'codes_exhausted' })
  async claim(
    @Param() params: ClaimParams,
    @CurrentUserId() userId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClaimResponse> {
    const { claim, isNew } = await this.claims.claim(params.brandId, userId);
    void reply.status(isNew ? HttpStatus.CREATED : HttpStatus.OK);
    return { code: claim.code, brandId: claim.brandId, claimedAt: claim.claimedAt.toISOString() };
  }
}
