import { Inject, Injectable, Logger } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import {
  DiscardPolicy,
  JSONCodec,
  nanos,
  RetentionPolicy,
  StorageType,
  type Consumer,
  type JetStreamManager,
  type JsMsg,
  type MsgHdrs,
  type NatsConnection,
} from 'nats';
import type { z } from 'zod';
import { COMMON_CONFIG, type CommonConfig } from '@app/config';
import { JOBS_STREAM } from '@app/contracts';
import { NatsMetrics } from '@app/metrics';
import { DurableConsumer } from './durable-consumer';
import {
  describePublishRefusal,
  durableConsumerConfig,
  ensureStream,
  type DesiredConsumer,
  type DesiredStream,
} from './jetstream-admin';
import { NatsClient } from './nats-client';
import { RunningConsumers } from './running-consumers';
import { inOutgoingSpan, SpanKind } from './trace-context';

const codec = JSONCodec<unknown>();
/** A pull waits this long for work before asking again (a stop closes it at once). */
const FETCH_EXPIRES_MS = 5_000;
const PUB_ACK_TIMEOUT_MS = 5_000;
/**
 * Work messages are tiny and a re-publish of a chunk (the supervisor re-queueing a stalled job)
 * must be dropped while the first copy still waits: a long duplicate window costs little here.
 */
export const WORK_DUPLICATE_WINDOW_MS = 30 * 60_000;
/** Chunks in progress at once over all replicas: far above any replica count, never the bottleneck. */
const MAX_ACK_PENDING = 1_000;

export function desiredWorkStreamConfig(replicas: number): DesiredStream {
  return {
    name: JOBS_STREAM.name,
    subjects: [...JOBS_STREAM.subjects],
    // A chunk leaves the stream once acknowledged: the stream holds exactly the work not done.
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    // When full, refuse new work (the caller gets an error) rather than silently drop queued work.
    discard: DiscardPolicy.New,
    duplicate_window: nanos(WORK_DUPLICATE_WINDOW_MS),
    num_replicas: replicas,
  };
}

export interface WorkItem<T> {
  readonly payload: T;
  /** 1 the first time; more after a crash, an ack timeout or a failed attempt. */
  readonly deliveryCount: number;
}

export interface WorkQueueSpec<T> {
  readonly durableName: string;
  readonly subject: string;
  readonly schema: z.ZodType<T>;
  /**
   * Redelivery after this long without an ack or a progress report. A worker that is alive
   * reports progress every third of it, so only a dead (or frozen) worker's item is redelivered.
   */
  readonly ackWaitMs: number;
  /** Redelivery delay after `handle` threw. */
  readonly retryDelayMs: number;
  /** Resolving acknowledges the item; throwing asks for it again after retryDelayMs. */
  readonly handle: (item: WorkItem<T>) => Promise<void>;
}

export function workConsumerConfig(
  spec: Pick<WorkQueueSpec<unknown>, 'durableName' | 'subject' | 'ackWaitMs'>,
): DesiredConsumer {
  return durableConsumerConfig({ ...spec, maxDeliver: -1, maxAckPending: MAX_ACK_PENDING });
}

/**
 * One worker on a work queue: it pulls ONE item at a time from a durable consumer that every
 * replica shares, so items spread over replicas instead of piling up in one client's buffer, and
 * acknowledges it only once `handle` resolved and the server confirmed the ack. Unlike events
 * (many small ones per database round trip), an item is long work: it is handled alone, inside
 * its CONSUMER span (so a job's chunks join the job's trace), with in-progress reports while it runs.
 */
export class WorkQueueWorker<T> extends DurableConsumer<T> {
  constructor(
    nats: NatsClient,
    private readonly spec: WorkQueueSpec<T>,
    ensureWorkStream: (jsm: JetStreamManager) => Promise<unknown>,
    metrics: NatsMetrics,
  ) {
    super(
      nats,
      {
        stream: JOBS_STREAM.name,
        consumer: workConsumerConfig(spec),
        schema: spec.schema,
        ensureStream: ensureWorkStream,
      },
      metrics,
    );
  }

  protected async receive(consumer: Consumer): Promise<void> {
    while (!this.stopped) {
      const messages = this.track(await consumer.fetch({ max_messages: 1, expires: FETCH_EXPIRES_MS }));
      try {
        for await (const message of messages) await this.process(message);
      } finally {
        // Ended by an error (NATS gone mid-item): nothing will read this pull to its end.
        void messages.close().catch(() => undefined);
      }
    }
  }

  private async process(message: JsMsg): Promise<void> {
    // Arrived as the worker stops: back to the server at once, for another replica to take.
    if (this.stopped) return message.nak();
    const [item] = this.accept([message]);
    if (!item) return;
    const heartbeat = setInterval(
      () => message.working(),
      Math.max(500, Math.floor(this.spec.ackWaitMs / 3)),
    );
    try {
      await this.settle(
        [item],
        () =>
          context.with(item.traceContext, () =>
            this.spec.handle({ payload: item.payload, deliveryCount: message.info.deliveryCount }),
          ),
        // An ack lost in a NATS restart would otherwise look done.
        { retryDelayMs: this.spec.retryDelayMs, confirmAck: true },
      );
    } finally {
      clearInterval(heartbeat);
    }
  }
}

/** Publishes work items (idempotently, by message id) and starts the workers of this process. */
@Injectable()
export class WorkQueue {
  private readonly logger = new Logger('WorkQueue');
  private streamEnsuredOn: NatsConnection | undefined;

  constructor(
    private readonly nats: NatsClient,
    @Inject(COMMON_CONFIG) private readonly config: CommonConfig,
    private readonly metrics: NatsMetrics,
    private readonly running: RunningConsumers,
  ) {}

  /**
   * Stores an item in the work stream, carrying the caller's trace; a second publish with the
   * same id inside the duplicate window is dropped by the server. Rejects at once with
   * NatsUnavailableError while disconnected.
   */
  publish(subject: string, payload: unknown, messageId: string): Promise<{ duplicate: boolean }> {
    return this.metrics.counted('published', subject, () =>
      inOutgoingSpan(SpanKind.PRODUCER, subject, messageId, context.active(), (headers) =>
        this.send(subject, payload, messageId, headers),
      ),
    );
  }

  startWorker<T>(spec: WorkQueueSpec<T>): WorkQueueWorker<T> {
    return this.running.start(
      new WorkQueueWorker(this.nats, spec, (jsm) => this.ensureStream(jsm), this.metrics),
    );
  }

  private async send(
    subject: string,
    payload: unknown,
    messageId: string,
    headers: MsgHdrs,
  ): Promise<{ duplicate: boolean }> {
    const connection = this.nats.current();
    // Once per connection, and only in services that queue work (not at every service's start).
    if (this.streamEnsuredOn !== connection) {
      await this.ensureStream(await connection.jetstreamManager());
      this.streamEnsuredOn = connection;
    }
    try {
      const ack = await this.nats.jetstream().publish(subject, codec.encode(payload), {
        msgID: messageId,
        headers,
        timeout: PUB_ACK_TIMEOUT_MS,
        expect: { streamName: JOBS_STREAM.name },
      });
      return { duplicate: ack.duplicate };
    } catch (error) {
      // The server may have lost the stream (restarted without its store): look again next time.
      this.streamEnsuredOn = undefined;
      throw describePublishRefusal(error, 'the work item');
    }
  }

  /** The same replication as the event stream: one setting for the cluster's durability. */
  private ensureStream(jsm: JetStreamManager): Promise<unknown> {
    return ensureStream(jsm, desiredWorkStreamConfig(this.config.eventStream.replicas), this.logger);
  }
}
