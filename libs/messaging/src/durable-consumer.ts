import { Logger } from '@nestjs/common';
import type { Context, Span } from '@opentelemetry/api';
import { JSONCodec, type Consumer, type ConsumerMessages, type JetStreamManager, type JsMsg } from 'nats';
import type { z } from 'zod';
import { NatsMetrics } from '@app/metrics';
import { errorMessage } from '@app/scheduling';
import { ensureConsumer, type DesiredConsumer } from './jetstream-admin';
import { NatsClient } from './nats-client';
import { failSpan, SpanKind, startIncomingSpan } from './trace-context';

const codec = JSONCodec<unknown>();
/** Pause before a stopped consumer loop (server restart, lost consumer) sets itself up again. */
const RESTART_DELAY_MS = 1_000;

/** What a durable consumer reads: one subject of a stream, each payload checked against a schema. */
export interface ConsumerTarget<T> {
  readonly stream: string;
  readonly consumer: DesiredConsumer;
  readonly schema: z.ZodType<T>;
  /** Creates or updates the stream first, when consumers (not only publishers) may be the first to need it. */
  readonly ensureStream?: (jsm: JetStreamManager) => Promise<unknown>;
}

/** A message that passed its schema, with the CONSUMER span that continues the publisher's trace. */
export interface Received<T> {
  readonly message: JsMsg;
  readonly payload: T;
  readonly span: Span;
  readonly traceContext: Context;
}

/** What the registry of running consumers needs from each: its lag, and a stop before NATS closes. */
export interface RunningConsumer {
  refreshLag(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The loop every durable pull consumer shares: wait for NATS, create or update the stream and
 * the consumer, receive until the subscription ends, and start over (after a pause) whenever the
 * server restarts or loses the consumer. Payloads are decoded and validated here; one that breaks
 * the contract can never succeed, so it is terminated, not retried. Subclasses decide how messages
 * are received (batches of events, or one work item at a time) and handed over.
 */
export abstract class DurableConsumer<T> implements RunningConsumer {
  protected readonly logger: Logger;
  protected readonly subject: string;
  protected stopped = false;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private signalStop!: () => void;
  private readonly stopSignal = new Promise<null>((resolve) => (this.signalStop = () => resolve(null)));

  constructor(
    private readonly nats: NatsClient,
    private readonly target: ConsumerTarget<T>,
    protected readonly metrics: NatsMetrics,
  ) {
    this.subject = target.consumer.filter_subject;
    this.logger = new Logger(`Consumer ${target.consumer.durable_name}`);
    metrics.declare('consumed', this.subject);
    metrics.pending(target.consumer.durable_name, 0);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops receiving, lets what is in hand finish (and be acknowledged), then calls `afterStop`. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    this.wakeUp?.();
    // Not awaited: a subscription nobody reads to its end never finishes closing; the loop does.
    void this.messages?.close().catch(() => undefined);
    await this.loop;
    await this.afterStop();
  }

  /** Reads how far behind this consumer is (pending + unacknowledged) into its gauge. */
  async refreshLag(): Promise<void> {
    if (this.stopped || !this.nats.isConnected()) return;
    const jsm = await this.nats.current().jetstreamManager();
    const { durable_name } = this.target.consumer;
    const info = await jsm.consumers.info(this.target.stream, durable_name);
    this.metrics.pending(durable_name, info.num_pending + info.num_ack_pending);
  }

  /** Receives until the subscription ends; throws when it ended in an error. */
  protected abstract receive(consumer: Consumer): Promise<void>;

  /** Hands back whatever was received but not handled. */
  protected async afterStop(): Promise<void> {}

  /** Remembers the subscription so that `stop` can close it (at once, when already stopping). */
  protected track(messages: ConsumerMessages): ConsumerMessages {
    this.messages = messages;
    if (this.stopped) void messages.close().catch(() => undefined);
    return messages;
  }

  /** The valid messages among `messages`, each with its span; the others are terminated. */
  protected accept(messages: readonly JsMsg[]): Array<Received<T>> {
    const accepted: Array<Received<T>> = [];
    for (const message of messages) {
      const payload = this.decode(message);
      if (payload === undefined) {
        message.term();
        this.metrics.message('consumed', this.subject, 'invalid');
        continue;
      }
      const { span, context } = startIncomingSpan(
        SpanKind.CONSUMER,
        this.subject,
        // The message id the publisher gave (an event's id), for de-duplication and traces alike.
        message.headers?.get('Nats-Msg-Id') || undefined,
        message.headers,
      );
      accepted.push({ message, payload, span, traceContext: context });
    }
    return accepted;
  }

  /**
   * Runs `handle` for `received` and settles them: acknowledged when it resolved (with the
   * server's confirmation when `confirmAck`), asked for again after `retryDelayMs` when it threw.
   */
  protected async settle(
    received: ReadonlyArray<Received<T>>,
    handle: () => Promise<void>,
    options: { retryDelayMs: number; confirmAck?: boolean },
  ): Promise<void> {
    const started = performance.now();
    try {
      await handle();
      if (options.confirmAck) await Promise.all(received.map(({ message }) => message.ackAck()));
      else for (const { message } of received) message.ack();
      this.metrics.message('consumed', this.subject, 'ok', received.length);
    } catch (error) {
      this.metrics.message('consumed', this.subject, 'failed', received.length);
      this.logger.warn(
        `${received.length} message(s) not handled, redelivery in ${options.retryDelayMs} ms: ${errorMessage(error)}`,
      );
      for (const { message, span } of received) {
        message.nak(options.retryDelayMs);
        failSpan(span, error);
      }
    } finally {
      this.metrics.handled(this.subject, (performance.now() - started) / 1000);
      for (const { span } of received) span.end();
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const connection = await Promise.race([this.nats.whenConnected(), this.stopSignal]);
        if (!connection || this.stopped) break;
        const jsm = await connection.jetstreamManager();
        await this.target.ensureStream?.(jsm);
        await ensureConsumer(jsm, this.target.stream, this.target.consumer, this.logger);
        await this.receive(
          await connection.jetstream().consumers.get(this.target.stream, this.target.consumer.durable_name),
        );
      } catch (error) {
        if (!this.stopped) this.logger.warn(`consumer stopped: ${errorMessage(error)}; restarting`);
      }
      if (!this.stopped) await this.pause(RESTART_DELAY_MS);
    }
  }

  private decode(message: JsMsg): T | undefined {
    let decoded: unknown;
    try {
      decoded = codec.decode(message.data);
    } catch {
      decoded = undefined;
    }
    const result = this.target.schema.safeParse(decoded);
    if (result.success) return result.data;
    // The stream sequence identifies the message; its content is not logged.
    this.logger.error(
      `dropping invalid ${this.subject} message (stream seq ${message.seq}): ` +
        result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
    return undefined;
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
