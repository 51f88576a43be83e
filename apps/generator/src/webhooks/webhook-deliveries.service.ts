import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import { decodeNewestFirstCursor, encodeNewestFirstCursor, pageLimit, pageOf } from '@app/http';
import {
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
  type AttemptRecord,
  type DeliveryRecord,
  type DeliveryStatus,
} from '@app/persistence';
import { DELIVERIES_PAGE, type DeliveryPageResponse, type DeliveryResponse } from './webhook-deliveries.dto';
import { WebhookDispatcher } from './webhook-dispatcher';

@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly attempts: WebhookAttemptsRepository,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async list(
    brandId: string,
    query: { status?: DeliveryStatus; limit?: string; cursor?: string },
  ): Promise<DeliveryPageResponse> {
    const limit = pageLimit(query.limit, DELIVERIES_PAGE);
    const after = query.cursor === undefined ? undefined : decodeNewestFirstCursor(query.cursor);
    const rows = await this.deliveries.list(brandId, { status: query.status, limit: limit + 1, after });
    const page = pageOf(rows, limit, encodeNewestFirstCursor);
    const attempts = await this.attempts.forDeliveries(page.items.map((d) => d.id));
    return {
      items: page.items.map((d) => toResponse(d, attempts.get(d.id) ?? [])),
      nextCursor: page.nextCursor,
    };
  }

  async redeliver(brandId: string, id: string): Promise<DeliveryResponse> {
    const outcome = await this.deliveries.redeliver(brandId, id, new Date());
    switch (outcome) {
      case 'not_found':
        throw new DomainError('not_found', `Brand ${brandId} has no webhook delivery ${id}`);
      case 'not_dead':
        throw new DomainError(
          'invalid_state',
          `Delivery ${id} is not dead-lettered; only dead letters can be redelivered`,
        );
      case 'requeued':
        break;
    }
    this.dispatcher.dispatchSoon(true);
    const delivery = await this.deliveries.findOne(brandId, id);
    if (!delivery) throw new DomainError('not_found', `Brand ${brandId} has no webhook delivery ${id}`);
    const attempts = await this.attempts.forDeliveries([id]);
    return toResponse(delivery, attempts.get(id) ?? []);
  }
}

function toResponse(delivery: DeliveryRecord, attempts: readonly AttemptRecord[]): DeliveryResponse {
  const iso = (date: Date | undefined) => (date ? new Date(date).toISOString() : null);
  return {
    id: delivery.id,
    eventType: delivery.eventType,
    status: delivery.status,
    payload: delivery.payload,
    createdAt: new Date(delivery.createdAt).toISOString(),
    nextAttemptAt: delivery.status === 'pending' ? iso(delivery.nextAttemptAt) : null,
    deliveredAt: iso(delivery.deliveredAt),
    deadAt: iso(delivery.deadAt),
    deadReason: delivery.deadReason ?? null,
    redeliveries: delivery.redeliveries,
    attempts: attempts.map((a) => ({
      number: a.number,
      at: new Date(a.at).toISOString(),
      outcome: a.outcome,
      statusCode: a.statusCode ?? null,
      error: a.error ?? null,
      durationMs: a.durationMs,
    })),
  };
}
