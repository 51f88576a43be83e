import { ApiProperty } from '@nestjs/swagger';

export class HeldCodeResponse {
  @ApiProperty({ example: 'SPRING-7KQ2M9XD' }) code!: string;
  @ApiProperty({ example: '2026-12-07T09:15:00.000Z' }) claimedAt!: string;
}

export class CampaignClaimResponse {
  @ApiProperty({
    example: 'SPRING-7KQ2M9XD',
    description: 'The new claim (201), or the most recent code the user holds in the campaign (200)',
  })
  code!: string;

  @ApiProperty({ example: 'acme' }) brandId!: string;
  @ApiProperty({ example: 'spring-sale' }) campaignId!: string;

  @ApiProperty({ example: '2026-12-07T09:15:00.000Z', description: 'When `code` was claimed' })
  claimedAt!: string;

  @ApiProperty({
    type: [HeldCodeResponse],
    description: 'Every code of the campaign the user holds (at most its perUserLimit), oldest first',
  })
  codes!: HeldCodeResponse[];
}
