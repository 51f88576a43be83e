import { Controller, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard, CurrentPrincipal, type BrandPrincipal } from '@app/auth';
import { ApiKeyRotationService } from './api-key-rotation.service';
import { BrandParams } from '../brand-params';

export class RotatedApiKeyResponse {
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ description: 'The new key. Shown once; only its hash is stored.', example: 'dk_…' })
  apiKey!: string;
  @ApiProperty({ description: 'Until when the replaced key still works (API_KEY_ROTATION_GRACE_SECONDS)' })
  previousKeyExpiresAt!: string;
}

@ApiTags('brands')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/api-keys')
export class ApiKeysController {
  constructor(private readonly rotation: ApiKeyRotationService) {}

  @Post()
  @UseGuards(BrandGuard)
  @ApiOperation({
    summary: 'Rotate the brand’s API key (admin or the brand’s current key)',
    description:
      'The new key is shown once. The replaced key keeps working for a grace period, then is refused.',
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
}
