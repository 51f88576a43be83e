import { Injectable } from '@nestjs/common';
import type { Context } from '@opentelemetry/api';
import type { Consumer, JsMsg } from 'nats';
import { EVENT_SCHEMAS, EVENTS_STREAM, type EventPayload, type Subject } from '@app/contracts';
import { NatsMetrics } from '@app/metrics';
import { DurableConsumer } from './durable-consumer';
import { durableConsumerConfig, type DesiredConsumer } from './jetstream-admin';
import { NatsClient } from './nats-client';
import { RunningConsumers } from './running-consumers';

export interface ConsumedEvent<S extends Subject> {
  readonly subject: S;
  readonly payload: EventPayload<S>;
  /** 1 the first time; more after a failed batch, an ack timeout or a consumer crash. */
  readonly deliveryCount: number;
  /** The consumer span's context (a child of the publisher's): continue the trace from it. */
  readonly traceContext: Context;
}

export interface DurableConsumerSpec<S extends Subject> {
  /** Durable name: the server remembers what this consumer acknowledged across restarts. */
  readonly durableName: string;
  readonly subject: S;
  /** Redelivery after this long without an ack. */
  readonly ackWaitMs: number;
  /** Deliveries before the server gives up on a message; -1 never gives up. */
  readonly maxDeliver: number;
  /** Largest batch handed to `handle` at once. */
  readonly maxBatch: number;
  /** Redelivery delay after `handle` failed. */
  readonly retryDelayMs: number;
  /**
   * Handles a batch of valid events; resolving acknowledges them all, throwing asks for all of
   * them again after retryDelayMs. At-least-once: handlers must be idempotent by event id.
   */
  readonly handle: (events: ReadonlyArray<ConsumedEvent<S>>) => Promise<void>;
}

/**
 * Unacknowledged messages the server hands one consumer at most, in batches: the client never
 * holds so many that the last of them wait out their ack wait in its queue (and come again).
 */
export const ACK_PENDING_BATCHES = 5;

export function consumerConfig(
  spec: Pick<
    DurableConsumerSpec<Subject>,
    'durableName' | 'subject' | 'ackWaitMs' | 'maxDeliver' | 'maxBatch'
  >,
): DesiredConsumer {
  return durableConsumerConfig({ ...spec, maxAckPending: spec.maxBatch * ACK_PENDING_BATCHES });
}

/**
 * A durable consumer of events. Messages are queued as they arrive and handed over in batches of
 * whatever has piled up (at most maxBatch), so a burst costs a few database round trips instead
 * of one per event, and a lone event is handled at once.
 */
export class DurableEventConsumer<S extends Subject> extends DurableConsumer<EventPayload<S>> {
  private readonly queue: JsMsg[] = [];
  private processing: Promise<void> | undefined;

  constructor(
    nats: NatsClient,
    private readonly spec: DurableConsumerSpec<S>,
    metrics: NatsMetrics,
  ) {
    super(
      nats,
      {
        stream: EVENTS_STREAM.name,
        consumer: consumerConfig(spec),
        schema: EVENT_SCHEMAS[spec.subject],
      },
      metrics,
    );
  }

  protected async receive(consumer: Consumer): Promise<void> {
    const messages = this.track(
      await consumer.consume({
        max_messages: this.spec.maxBatch * 2,
        // Ends the subscription (and so recreates the consumer) when the server lost it.
        abort_on_missing_resource: true,
        callback: (message) => this.enqueue(message),
      }),
    );
    const error = await messages.closed();
    if (error && !this.stopped) throw error;
  }

  /** The batch in hand finishes; what is still queued goes back to the server at once (nak). */
  protected override async afterStop(): Promise<void> {
    await this.processing;
    for (const message of this.queue.splice(0)) message.nak();
  }

  private enqueue(message: JsMsg): void {
    this.queue.push(message);
    this.processing ??= this.drain().finally(() => {
      this.processing = undefined;
    });
  }

  /** Handles what has queued up, a batch at a time, until the queue is empty. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.accept(this.queue.splice(0, this.spec.maxBatch));
      if (batch.length === 0) continue;
      const events = batch.map((received): ConsumedEvent<S> => ({
        subject: this.spec.subject,
        payload: received.payload,
        deliveryCount: received.message.info.deliveryCount,
        traceContext: received.traceContext,
      }));
      await this.settle(batch, () => this.spec.handle(events), { retryDelayMs: this.spec.retryDelayMs });
    }
  }
}

/** Starts durable event consumers; they are stopped, batches finished, before NATS is closed. */
@Injectable()
export class EventConsumers {
  constructor(
    private readonly nats: NatsClient,
    private readonly metrics: NatsMetrics,
    private readonly running: RunningConsumers,
  ) {}

  start<S extends Subject>(spec: DurableConsumerSpec<S>): DurableEventConsumer<S> {
    return this.running.start(new DurableEventConsumer(this.nats, spec, this.metrics));
  }
}
