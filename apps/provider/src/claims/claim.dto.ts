import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ID_PATTERN, ID_PATTERN_DESCRIPTION } from '@app/contracts';

export class ClaimParams {
  @ApiProperty({ example: 'acme', description: ID_PATTERN_DESCRIPTION })
  @IsString()
  @Matches(ID_PATTERN, { message: `brandId must be ${ID_PATTERN_DESCRIPTION}` })
  brandId!: string;
}

export class ClaimResponse {
  @ApiProperty({ example: '7U7I845L' }) code!: string;
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) claimedAt!: string;
}
