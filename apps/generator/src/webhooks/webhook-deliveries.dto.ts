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
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['delivered', 'failed'] }) outcome!: 'delivered' | 'failed';
  @ApiProperty({ type: Number, nullable: true, example: 503 }) statusCode!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 503' }) error!: string | null;
  @ApiProperty({ example: 42 }) durationMs!: number;
}

export class DeliveryResponse {
  @ApiProperty({ description: 'Also the event id (X-Discounts-Event-Id)' }) id!: string;
  @ApiProperty({ example: 'code.claimed' }) eventType!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty({ description: 'The JSON body sent' }) payload!: Record<string, unknown>;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) deadAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) deadReason!: string | null;
  @ApiProperty() redeliveries!: number;
  @ApiProperty({ type: [AttemptResponse] }) attempts!: AttemptResponse[];
}

export class DeliveryPageResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items!: DeliveryResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page' })
  nextCursor!: string | null;
}
