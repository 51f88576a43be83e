import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ID_PATTERN, ID_PATTERN_DESCRIPTION } from '@app/contracts';

/** The `:brandId` of every brand-scoped route. */
export class BrandParams {
  @ApiProperty({ example: 'acme', description: ID_PATTERN_DESCRIPTION })
  @IsString()
  @Matches(ID_PATTERN, { message: `brandId must be ${ID_PATTERN_DESCRIPTION}` })
  brandId!: string;
}
