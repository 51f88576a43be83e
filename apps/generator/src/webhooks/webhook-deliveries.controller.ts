import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BrandGuard } from '@app/auth';
import { BrandParams } from '../brand-params';
import {
  DeliveryPageResponse,
  DeliveryParams,
  DeliveryResponse,
  ListDeliveriesQuery,
} from './webhook-deliveries.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/brands/:brandId/webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Get()
  @UseGuards(BrandGuard)
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'The brand’s webhook deliveries, newest first, with every attempt and its outcome',
  })
  @ApiResponse({ status: 200, type: DeliveryPageResponse })
  list(@Param() params: BrandParams, @Query() query: ListDeliveriesQuery): Promise<DeliveryPageResponse> {
    return this.deliveries.list(params.brandId, query);
  }

  @Post(':deliveryId/redeliver')
  @HttpCode(202)
  @UseGuards(BrandGuard)
  @ApiOperation({
    operationId: 'redeliverWebhook',
    summary: 'Put a dead-lettered delivery back in line (fresh attempts and age budget)',
  })
  @ApiResponse({ status: 202, type: DeliveryResponse })
  @ApiResponse({ status: 404, description: 'not_found' })
  @ApiResponse({ status: 409, description: 'invalid_state: the delivery is not dead-lettered' })
  redeliver(@Param() params: DeliveryParams): Promise<DeliveryResponse> {
    return this.deliveries.redeliver(params.brandId, params.deliveryId);
  }
}
