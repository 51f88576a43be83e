import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ID_PATTERN, ID_PATTERN_DESCRIPTION } from '@app/contracts';

export class LegacyGetCodeParams {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Matches(ID_PATTERN, { message: `user_id must be ${ID_PATTERN_DESCRIPTION}` })
  user_id!: string;

  @ApiProperty({ description: 'The secret from POST /v1/users' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'user_secret must be 1–128 URL-safe characters' })
  user_secret!: string;

  @ApiProperty({ example: '1' })
  @IsString()
  @Matches(ID_PATTERN, { message: `brand_id must be ${ID_PATTERN_DESCRIPTION}` })
  brand_id!: string;
}
