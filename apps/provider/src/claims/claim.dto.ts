import { ApiProperty } from '@nestjs/swagger';

export class ClaimResponse {
  @ApiProperty({ example: '7U7I845L' }) code!: string;
  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) claimedAt!: string;
}
