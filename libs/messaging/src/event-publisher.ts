import { Inject, Injectable } from '@nestjs/common';
import { headers, JSONCodec, type NatsConnection } from 'nats';
import { EVENT_SCHEMAS, type EventPayload, type Subject } from '@app/contracts';
import { NATS_CONNECTION } from './nats-connection';

const codec = JSONCodec();

/**
 * Publishes contract events. The payload is validated against the subject's schema before it
 * leaves, so a consumer never sees a message the contract does not allow.
 */
@Injectable()
export class EventPublisher {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async publish<S extends Subject>(subject: S, payload: EventPayload<S>): Promise<void> {
    const valid = EVENT_SCHEMAS[subject].parse(payload);
    const messageHeaders = headers();
    // JetStream drops a second message with the same id inside its duplicate window.
    messageHeaders.set('Nats-Msg-Id', valid.eventId);
    this.connection.publish(subject, codec.encode(valid), { headers: messageHeaders });
    // Resolves once the server has everything sent so far: the publish left this process.
    await this.connection.flush();
  }
}
