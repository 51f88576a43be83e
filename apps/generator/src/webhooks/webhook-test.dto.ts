import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class WebhookTestResponse {
  @ApiProperty({ example: true, description: 'Whether the receiver answered 2xx' }) delivered!: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 200,
    description: "The receiver's HTTP status; null when it did not answer (refused, timed out, blocked)",
  })
  status!: number | null;
  @ApiProperty({ example: 42, description: 'From sending the request to the answer (or the give-up)' })
  durationMs!: number;
  @ApiPropertyOptional({
    example: 'connection error ECONNREFUSED',
    description: 'What went wrong, in our words, when not delivered (never the receiver’s body)',
  })
  error?: string;
}
