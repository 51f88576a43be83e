import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import {
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
  type AttemptRecord,
  type DeliveryRecord,
  type DeliveryStatus,
} from '@app/persistence';
import {
  DELIVERIES_PAGE_DEFAULT,
  DELIVERIES_PAGE_MAX,
  type DeliveryPageResponse,
  type DeliveryResponse,
} from './webhook-deliveries.dto';
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
    const limit = query.limit === undefined ? DELIVERIES_PAGE_DEFAULT : Number(query.limit);
    if (limit > DELIVERIES_PAGE_MAX) {
      throw new DomainError('invalid_input', `limit must be a whole number from 1 to ${DELIVERIES_PAGE_MAX}`);
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // One more than asked: tells whether there is a next page without counting.
    const page = await this.deliveries.list(brandId, { status: query.status, limit: limit + 1, after });
    const items = page.slice(0, limit);
    const attempts = await this.attempts.forDeliveries(items.map((d) => d.id));
    const last = items[items.length - 1];
    return {
      items: items.map((d) => toResponse(d, attempts.get(d.id) ?? [])),
      nextCursor: page.length > limit && last ? encodeCursor(last) : null,
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

/** Opaque to clients: the sort key of the last item, base64url-encoded. */
export function encodeCursor(last: Pick<DeliveryRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([new Date(last.createdAt).toISOString(), last.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const invalid = () => new DomainError('invalid_input', 'cursor is not a cursor this API returned');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [at, id] = parsed as unknown[];
  const createdAt = typeof at === 'string' ? new Date(at) : new Date(NaN);
  if (Number.isNaN(createdAt.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id))
    throw invalid();
  return { createdAt, id };
}
