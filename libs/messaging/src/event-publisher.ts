import { Injectable } from '@nestjs/common';
import { context, type Context } from '@opentelemetry/api';
import { JSONCodec } from 'nats';
import { EVENT_SCHEMAS, EVENTS_STREAM, type EventPayload, type Subject } from '@app/contracts';
import { NatsMetrics } from '@app/metrics';
import { describePublishRefusal } from './jetstream-admin';
import { NatsClient } from './nats-client';
import { inOutgoingSpan, SpanKind } from './trace-context';

const codec = JSONCodec();
/** How long to wait for JetStream's acknowledgement before the publish counts as failed. */
const PUB_ACK_TIMEOUT_MS = 5_000;

export interface PublishOptions {
  /** Trace to continue; the active context by default (e.g. a stored claim's context). */
  readonly parent?: Context;
}

export interface Published {
  /** JetStream had already stored a message with this id (inside its duplicate window). */
  readonly duplicate: boolean;
  readonly sequence: number;
}

/**
 * Publishes contract events to the event stream. The payload is validated against the
 * subject's schema before it leaves, and the event id is the JetStream message id, so a second
 * publish of the same event (a retry, another replica's relay) is dropped by the server.
 * Resolves only once JetStream has stored the event (its PubAck); rejects at once with
 * NatsUnavailableError while disconnected, instead of queueing behind a reconnect.
 */
@Injectable()
export class EventPublisher {
  constructor(
    private readonly nats: NatsClient,
    private readonly metrics: NatsMetrics,
  ) {}

  /** Series for a subject this app publishes, at 0 before its first event: rates and alerts start there. */
  declare(subject: Subject): void {
    this.metrics.declare('published', subject);
  }

  publish<S extends Subject>(
    subject: S,
    payload: EventPayload<S>,
    options: PublishOptions = {},
  ): Promise<Published> {
    return this.metrics.counted('published', subject, () => this.send(subject, payload, options));
  }

  private send<S extends Subject>(
    subject: S,
    payload: EventPayload<S>,
    options: PublishOptions,
  ): Promise<Published> {
    const valid = EVENT_SCHEMAS[subject].parse(payload);
    const jetstream = this.nats.jetstream();
    return inOutgoingSpan(
      SpanKind.PRODUCER,
      subject,
      valid.eventId,
      options.parent ?? context.active(),
      async (headers) => {
        const ack = await jetstream
          .publish(subject, codec.encode(valid), {
            msgID: valid.eventId,
            headers,
            timeout: PUB_ACK_TIMEOUT_MS,
            expect: { streamName: EVENTS_STREAM.name },
          })
          .catch((error: unknown) => {
            throw describePublishRefusal(error, 'the event');
          });
        return { duplicate: ack.duplicate, sequence: ack.seq };
      },
    );
  }
}
