import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { type Context, type Span } from '@opentelemetry/api';
import {
  AckPolicy,
  DeliverPolicy,
  JSONCodec,
  nanos,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
} from 'nats';
import { EVENT_SCHEMAS, EVENTS_STREAM, type EventPayload, type Subject } from '@app/contracts';
import { NatsMetrics } from '@app/metrics';
import { errorMessage, PeriodicTask } from '@app/scheduling';
import { apiErrorCode } from './event-stream';
import { NatsClient } from './nats-client';
import { failSpan, SpanKind, startIncomingSpan } from './trace-context';

const codec = JSONCodec<unknown>();
const CONSUMER_NOT_FOUND = 10014;
/** Pause before a stopped consumer loop (server restart, lost consumer) sets itself up again. */
const RESTART_DELAY_MS = 1_000;
/** How often consumer lag is read from the server (one consumer-info request per consumer). */
const LAG_REFRESH_MS = 5_000;

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
): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durableName,
    filter_subject: spec.subject,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    max_ack_pending: spec.maxBatch * ACK_PENDING_BATCHES,
    // All: a new durable also gets what was published before it first ran.
    deliver_policy: DeliverPolicy.All,
  };
}

/**
 * One durable pull consumer with explicit acks. It is created (or updated) when NATS is
 * connected, and set up again whenever the server loses it. Messages are queued as they arrive
 * and handed over in batches of whatever has piled up (at most maxBatch), so a burst costs a few
 * database round trips instead of one per event, and a lone event is handled at once.
 */
export class DurableEventConsumer<S extends Subject> {
  private readonly logger: Logger;
  private stopped = false;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private readonly queue: JsMsg[] = [];
  private processing: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private signalStop!: () => void;
  private readonly stopSignal = new Promise<null>((resolve) => (this.signalStop = () => resolve(null)));

  constructor(
    private readonly nats: NatsClient,
    private readonly spec: DurableConsumerSpec<S>,
    private readonly metrics: NatsMetrics,
  ) {
    this.logger = new Logger(`Consumer ${spec.durableName}`);
    metrics.declare('consumed', spec.subject);
    metrics.pending(spec.durableName, 0);
  }

  /** Reads how far behind this consumer is (pending + unacknowledged) into its gauge. */
  async refreshLag(): Promise<void> {
    if (this.stopped || !this.nats.isConnected()) return;
    const jsm = await this.nats.current().jetstreamManager();
    const info = await jsm.consumers.info(EVENTS_STREAM.name, this.spec.durableName);
    this.metrics.pending(this.spec.durableName, info.num_pending + info.num_ack_pending);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Stops pulling, lets the batch in hand finish (and be acknowledged), and hands what is still
   * queued back to the server at once (nak) for this or another replica to take.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    this.wakeUp?.();
    await this.messages?.close().catch(() => undefined);
    await this.loop;
    await this.processing;
    for (const message of this.queue.splice(0)) message.nak();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const connection = await Promise.race([this.nats.whenConnected(), this.stopSignal]);
        if (!connection || this.stopped) break;
        const jsm = await connection.jetstreamManager();
        await this.ensureConsumer(jsm);
        const consumer = await connection
          .jetstream()
          .consumers.get(EVENTS_STREAM.name, this.spec.durableName);
        const messages = await consumer.consume({
          max_messages: this.spec.maxBatch * 2,
          // Ends the subscription (and so recreates the consumer) when the server lost it.
          abort_on_missing_resource: true,
          callback: (message) => this.enqueue(message),
        });
        this.messages = messages;
        if (this.stopped) await messages.close();
        const error = await messages.closed();
        if (error && !this.stopped) throw error;
      } catch (error) {
        if (!this.stopped) this.logger.warn(`consumer stopped: ${errorMessage(error)}; restarting`);
      }
      if (!this.stopped) await this.pause(RESTART_DELAY_MS);
    }
  }

  private async ensureConsumer(jsm: JetStreamManager): Promise<void> {
    const desired = consumerConfig(this.spec);
    try {
      const current = await jsm.consumers.info(EVENTS_STREAM.name, this.spec.durableName);
      const changed =
        current.config.ack_wait !== desired.ack_wait ||
        current.config.max_deliver !== desired.max_deliver ||
        current.config.max_ack_pending !== desired.max_ack_pending ||
        current.config.filter_subject !== desired.filter_subject;
      if (changed) await jsm.consumers.update(EVENTS_STREAM.name, this.spec.durableName, desired);
    } catch (error) {
      if (apiErrorCode(error) !== CONSUMER_NOT_FOUND) throw error;
      await jsm.consumers.add(EVENTS_STREAM.name, desired);
      this.logger.log(`created durable consumer on ${this.spec.subject}`);
    }
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
      await this.process(this.queue.splice(0, this.spec.maxBatch));
    }
  }

  private async process(messages: readonly JsMsg[]): Promise<void> {
    const accepted: Array<{ message: JsMsg; event: ConsumedEvent<S>; span: Span }> = [];
    for (const message of messages) {
      const event = this.parse(message);
      if (event) accepted.push({ message, ...event });
      else {
        message.term();
        this.metrics.message('consumed', this.spec.subject, 'invalid');
      }
    }
    if (accepted.length === 0) return;
    const started = performance.now();
    try {
      await this.spec.handle(accepted.map((a) => a.event));
      this.metrics.handled(this.spec.subject, (performance.now() - started) / 1000);
      this.metrics.message('consumed', this.spec.subject, 'ok', accepted.length);
      for (const { message, span } of accepted) {
        message.ack();
        span.end();
      }
    } catch (error) {
      this.metrics.handled(this.spec.subject, (performance.now() - started) / 1000);
      this.metrics.message('consumed', this.spec.subject, 'failed', accepted.length);
      this.logger.warn(
        `${accepted.length} event(s) not handled, redelivery in ${this.spec.retryDelayMs} ms: ${errorMessage(error)}`,
      );
      for (const { message, span } of accepted) {
        message.nak(this.spec.retryDelayMs);
        failSpan(span, error);
        span.end();
      }
    }
  }

  /** A payload that breaks the contract can never succeed: it is terminated, not retried. */
  private parse(message: JsMsg): { event: ConsumedEvent<S>; span: Span } | null {
    let decoded: unknown;
    try {
      decoded = codec.decode(message.data);
    } catch {
      decoded = undefined;
    }
    const result = EVENT_SCHEMAS[this.spec.subject].safeParse(decoded);
    if (!result.success) {
      // The stream sequence identifies the message; its content is not logged.
      this.logger.error(
        `dropping invalid ${this.spec.subject} message (stream seq ${message.seq}): ` +
          result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      );
      return null;
    }
    const payload = result.data as EventPayload<S>;
    const { span, context } = startIncomingSpan(
      SpanKind.CONSUMER,
      this.spec.subject,
      payload.eventId,
      message.headers,
    );
    return {
      event: {
        subject: this.spec.subject,
        payload,
        deliveryCount: message.info.deliveryCount,
        traceContext: context,
      },
      span,
    };
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Creates durable consumers and stops them all, batches finished, before NATS is closed. */
@Injectable()
export class EventConsumers implements BeforeApplicationShutdown {
  private readonly logger = new Logger(EventConsumers.name);
  private readonly running: Array<DurableEventConsumer<Subject>> = [];
  /** Every consumer's lag into its gauge, started with the first consumer. */
  private readonly lag = new PeriodicTask(
    { name: 'consumer lag read', intervalMs: LAG_REFRESH_MS, failureLevel: 'debug' },
    () => this.refreshLag(),
  );

  constructor(
    private readonly nats: NatsClient,
    private readonly metrics: NatsMetrics,
  ) {}

  start<S extends Subject>(spec: DurableConsumerSpec<S>): DurableEventConsumer<S> {
    const consumer = new DurableEventConsumer(this.nats, spec, this.metrics);
    this.running.push(consumer as unknown as DurableEventConsumer<Subject>);
    consumer.start();
    if (this.running.length === 1) this.lag.start();
    return consumer;
  }

  private async refreshLag(): Promise<void> {
    for (const consumer of this.running) {
      await consumer.refreshLag().catch((error: unknown) => {
        this.logger.debug(`consumer lag not read: ${errorMessage(error)}`);
      });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.lag.stop();
    await Promise.all(this.running.splice(0).map((consumer) => consumer.stop()));
  }
}
