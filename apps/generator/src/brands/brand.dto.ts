import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { ID_PATTERN, ID_PATTERN_DESCRIPTION } from '@app/contracts';

export class BrandParams {
  @ApiProperty({ example: 'acme', description: ID_PATTERN_DESCRIPTION })
  @IsString()
  @Matches(ID_PATTERN, { message: `brandId must be ${ID_PATTERN_DESCRIPTION}` })
  brandId!: string;
}

export class CreateBrandRequest {
  @ApiPropertyOptional({
    example: 'acme',
    description: `Chosen id; generated when omitted. ${ID_PATTERN_DESCRIPTION}`,
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `id must be ${ID_PATTERN_DESCRIPTION}` })
  id?: string;

  @ApiProperty({ example: 'Acme Coffee' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class BrandResponse {
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: 'Acme Coffee' }) name!: string;
  @ApiProperty() createdAt!: string;
}

export class CreatedBrandResponse extends BrandResponse {
  @ApiProperty({ description: 'Shown once; only its hash is stored.', example: 'dk_…' })
  apiKey!: string;
}

export class BrandStatsResponse {
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: 100 }) total!: number;
  @ApiProperty({ example: 97 }) available!: number;
  @ApiProperty({ example: 3 }) claimed!: number;
  @ApiProperty({ example: 3, description: 'Claims this service has been told about over NATS' })
  claimedNotified!: number;
}
