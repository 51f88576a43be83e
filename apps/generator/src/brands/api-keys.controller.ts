import { Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard, CurrentPrincipal, type BrandPrincipal } from '@app/auth';
import { Idempotent } from '@app/http';
import { ApiKeyRotationService } from './api-key-rotation.service';
import { BrandParams } from '../brand-params';

export class RotatedApiKeyResponse {
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ description: 'The new key. Shown once; only its hash is stored.', example: 'dk_…' })
  apiKey!: string;
  @ApiProperty({ description: 'The new key’s id (not secret)', example: 'key_3f9a0c1b2d4e' })
  keyId!: string;
  @ApiProperty({ description: 'The replaced key’s id', example: 'key_8b7e6d5c4a3f' })
  previousKeyId!: string;
  @ApiProperty({
    description: 'Until when the replaced key still works (API_KEY_ROTATION_GRACE_SECONDS)',
    example: '2026-12-08T09:00:00.000Z',
  })
  previousKeyExpiresAt!: string;
}

class KeyIdResponse {
  @ApiProperty({ example: 'key_3f9a0c1b2d4e' }) keyId!: string;
}

class PreviousKeyResponse extends KeyIdResponse {
  @ApiProperty({ example: '2026-12-08T09:00:00.000Z' }) expiresAt!: string;
}

export class BrandKeysResponse {
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ type: KeyIdResponse }) current!: KeyIdResponse;
  @ApiProperty({
    type: PreviousKeyResponse,
    nullable: true,
    description: 'The replaced key, during its grace period',
  })
  previous!: PreviousKeyResponse | null;
}

@ApiTags('brands')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/api-keys')
@UseGuards(BrandGuard)
export class ApiKeysController {
  constructor(private readonly rotation: ApiKeyRotationService) {}

  @Get()
  @ApiOperation({
    operationId: 'listApiKeys',
    summary: 'The ids of the brand’s keys: the current one and the one a rotation replaced',
  })
  @ApiResponse({ status: 200, type: BrandKeysResponse })
  async list(@Param() params: BrandParams): Promise<BrandKeysResponse> {
    const keys = await this.rotation.keys(params.brandId);
    return {
      ...keys,
      previous: keys.previous && { ...keys.previous, expiresAt: keys.previous.expiresAt.toISOString() },
    };
  }

  @Post()
  @Idempotent()
  @ApiOperation({
    operationId: 'rotateApiKey',
    summary: 'Rotate the brand’s API key (admin or the brand’s current key)',
    description:
      'The new key is shown once. The replaced key keeps working for a grace period, then is refused; ' +
      'meanwhile it cannot change the webhook, manage keys or export codes.',
  })
  @ApiResponse({ status: 201, type: RotatedApiKeyResponse })
  @ApiResponse({ status: 403, description: 'another brand’s key, or the replaced key' })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  async rotate(
    @Param() params: BrandParams,
    @CurrentPrincipal() principal: BrandPrincipal,
  ): Promise<RotatedApiKeyResponse> {
    const rotated = await this.rotation.rotate(params.brandId, principal);
    return { ...rotated, previousKeyExpiresAt: rotated.previousKeyExpiresAt.toISOString() };
  }

  @Delete('previous')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'revokePreviousApiKey',
    summary: 'Revoke the replaced key now instead of at the end of its grace period',
  })
  @ApiResponse({ status: 204, description: 'Revoked (or there was none)' })
  @ApiResponse({ status: 403, description: 'another brand’s key, or the replaced key' })
  @ApiResponse({ status: 404, description: 'brand_not_found' })
  async revokePrevious(
    @Param() params: BrandParams,
    @CurrentPrincipal() principal: BrandPrincipal,
  ): Promise<void> {
    await this.rotation.revokePrevious(params.brandId, principal);
  }
}
