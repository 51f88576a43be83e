import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PageCursorField, PageLimitField } from '@app/http';
import { DELIVERY_STATUSES, type DeliveryStatus } from '@app/persistence';
import { BrandParams } from '../brand-params';

/** Deliveries per page of GET /v1/brands/{brandId}/webhook-deliveries. */
export const DELIVERIES_PAGE = { default: 20, max: 100 } as const;

export class DeliveryParams extends BrandParams {
  @ApiProperty({ description: 'The delivery id, which is the event id' })
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'deliveryId must be an event id (a UUID)' })
  deliveryId!: string;
}

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @PageLimitField(DELIVERIES_PAGE)
  limit?: string;

  @PageCursorField()
  cursor?: string;
}

export class AttemptResponse {
  @ApiProperty({ example: 1 }) number!: number;
  @ApiProperty({ example: '2026-12-07T09:15:01.000Z' }) at!: string;
  @ApiProperty({ enum: ['delivered', 'failed'], example: 'failed' }) outcome!: 'delivered' | 'failed';
  @ApiProperty({ type: Number, nullable: true, example: 503 }) statusCode!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 503' }) error!: string | null;
  @ApiProperty({ example: 42 }) durationMs!: number;
}

export class DeliveryResponse {
  @ApiProperty({
    example: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    description: 'Also the event id (X-Discounts-Event-Id)',
  })
  id!: string;
  @ApiProperty({ example: 'code.claimed' }) eventType!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'delivered' }) status!: DeliveryStatus;
  @ApiProperty({
    example: {
      eventId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      type: 'code.claimed',
      version: 1,
      brandId: 'acme',
      code: 'SPRING-7KQ2M9XD',
      userId: 'user-42',
      claimedAt: '2026-12-07T09:15:00.000Z',
    },
    description: 'The JSON body sent',
  })
  payload!: Record<string, unknown>;
  @ApiProperty({ example: '2026-12-07T09:15:00.500Z' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-07T09:15:31.000Z' })
  deliveredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) deadAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) deadReason!: string | null;
  @ApiProperty({ example: 0 }) redeliveries!: number;
  @ApiProperty({ type: [AttemptResponse] }) attempts!: AttemptResponse[];
}

export class DeliveryPageResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items!: DeliveryResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as cursor for the next page',
  })
  nextCursor!: string | null;
}
