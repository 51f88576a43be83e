import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class LegacyGenerateRequest {
  @ApiProperty({ example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  brand_id!: number;

  @ApiProperty({ example: 100, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  number_of_codes!: number;
}

export class LegacyEnvelopeResponse {
  @ApiProperty({ example: '201' }) code!: string;
  @ApiProperty({ example: '' }) data!: string;
  @ApiProperty({ example: 'System generated discount codes successfully' }) message!: string;
  @ApiProperty({ example: 'success', enum: ['success', 'error'] }) status!: string;
}
