import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JSONCodec,
  nanos,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  type StreamConfig,
} from 'nats';
import type { z } from 'zod';
import { COMMON_CONFIG, type CommonConfig } from '@app/config';
import { JOBS_STREAM } from '@app/contracts';
import { NatsMetrics } from '@app/metrics';
import { errorMessage } from '@app/scheduling';
import { apiErrorCode } from './event-stream';
import { NatsClient } from './nats-client';

const codec = JSONCodec<unknown>();
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;
const RESTART_DELAY_MS = 1_000;
/** A pull waits this long for work before asking again (and noticing a stop). */
const FETCH_EXPIRES_MS = 5_000;
const PUB_ACK_TIMEOUT_MS = 5_000;
/**
 * Work messages are tiny and a re-publish of a chunk (the supervisor re-queueing a stalled job)
 * must be dropped while the first copy still waits: a long duplicate window costs little here.
 */
export const WORK_DUPLICATE_WINDOW_MS = 30 * 60_000;
/** Chunks in progress at once over all replicas: far above any replica count, never the bottleneck. */
const MAX_ACK_PENDING = 1_000;

export function desiredWorkStreamConfig(replicas: number): Partial<StreamConfig> & { name: string } {
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

/** Creates the work stream when missing (idempotent; both a publisher and a worker may call it). */
export async function ensureWorkStream(jsm: JetStreamManager, replicas: number): Promise<void> {
  const desired = desiredWorkStreamConfig(replicas);
  try {
    await jsm.streams.info(desired.name);
  } catch (error) {
    if (apiErrorCode(error) !== STREAM_NOT_FOUND) throw error;
    try {
      await jsm.streams.add(desired);
    } catch (addError) {
      // Another replica created it between our look and our add.
      if (apiErrorCode(addError) !== 10058) throw addError;
    }
  }
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
): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durableName,
    filter_subject: spec.subject,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: -1,
    max_ack_pending: MAX_ACK_PENDING,
    deliver_policy: DeliverPolicy.All,
  };
}

/**
 * One worker on a work queue: it pulls ONE item at a time from a durable consumer that every
 * replica shares, so items spread over replicas instead of piling up in one client's buffer, and
 * acknowledges it only once `handle` resolved. Unlike the event consumers (which batch many small
 * events per database round trip), an item here is long work: it is handled alone, with
 * in-progress reports (`working()`) while it runs.
 */
export class WorkQueueWorker<T> {
  private readonly logger: Logger;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly nats: NatsClient,
    private readonly spec: WorkQueueSpec<T>,
    private readonly streamReplicas: number,
    private readonly metrics: NatsMetrics,
  ) {
    this.logger = new Logger(`Worker ${spec.durableName}`);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops pulling and lets the item in hand finish (and be acknowledged). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const connection = await Promise.race([
          this.nats.whenConnected(),
          new Promise<null>((resolve) => (this.wakeUp = () => resolve(null))),
        ]);
        if (!connection || this.stopped) break;
        const jsm = await connection.jetstreamManager();
        await ensureWorkStream(jsm, this.streamReplicas);
        await this.ensureConsumer(jsm);
        const consumer = await connection.jetstream().consumers.get(JOBS_STREAM.name, this.spec.durableName);
        while (!this.stopped) {
          const messages = await consumer.fetch({ max_messages: 1, expires: FETCH_EXPIRES_MS });
          for await (const message of messages) await this.process(message);
        }
      } catch (error) {
        if (!this.stopped) this.logger.warn(`worker stopped: ${errorMessage(error)}; restarting`);
      }
      if (!this.stopped) await this.pause(RESTART_DELAY_MS);
    }
  }

  private async ensureConsumer(jsm: JetStreamManager): Promise<void> {
    const desired = workConsumerConfig(this.spec);
    try {
      const current = await jsm.consumers.info(JOBS_STREAM.name, this.spec.durableName);
      if (
        current.config.ack_wait !== desired.ack_wait ||
        current.config.filter_subject !== desired.filter_subject
      )
        await jsm.consumers.update(JOBS_STREAM.name, this.spec.durableName, desired);
    } catch (error) {
      if (apiErrorCode(error) !== CONSUMER_NOT_FOUND) throw error;
      await jsm.consumers.add(JOBS_STREAM.name, desired);
      this.logger.log(`created durable consumer on ${this.spec.subject}`);
    }
  }

  private async process(message: JsMsg): Promise<void> {
    let decoded: unknown;
    try {
      decoded = codec.decode(message.data);
    } catch {
      decoded = undefined;
    }
    const parsed = this.spec.schema.safeParse(decoded);
    if (!parsed.success) {
      this.logger.error(`dropping invalid ${this.spec.subject} message (stream seq ${message.seq})`);
      this.metrics.message('consumed', this.spec.subject, 'invalid');
      message.term();
      return;
    }
    const heartbeat = setInterval(
      () => message.working(),
      Math.max(500, Math.floor(this.spec.ackWaitMs / 3)),
    );
    const started = performance.now();
    try {
      await this.spec.handle({ payload: parsed.data, deliveryCount: message.info.deliveryCount });
      // Waits for the server's confirmation: an ack lost in a NATS restart would otherwise look done.
      await message.ackAck();
      this.metrics.message('consumed', this.spec.subject, 'ok');
    } catch (error) {
      this.metrics.message('consumed', this.spec.subject, 'failed');
      this.logger.warn(
        `${this.spec.subject} not done, again in ${this.spec.retryDelayMs} ms: ${errorMessage(error)}`,
      );
      message.nak(this.spec.retryDelayMs);
    } finally {
      clearInterval(heartbeat);
      this.metrics.handled(this.spec.subject, (performance.now() - started) / 1000);
    }
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

/** Publishes work items (idempotently, by message id) and runs the workers of this process. */
@Injectable()
export class WorkQueue implements BeforeApplicationShutdown {
  private readonly workers: Array<WorkQueueWorker<unknown>> = [];
  private readonly logger = new Logger('WorkQueue');
  private streamEnsuredOn: NatsConnection | undefined;

  constructor(
    private readonly nats: NatsClient,
    @Inject(COMMON_CONFIG) private readonly config: CommonConfig,
    private readonly metrics: NatsMetrics,
  ) {}

  /**
   * Stores an item in the work stream; a second publish with the same id inside the duplicate
   * window is dropped by the server. Rejects at once with NatsUnavailableError while disconnected.
   */
  async publish(subject: string, payload: unknown, messageId: string): Promise<{ duplicate: boolean }> {
    try {
      const published = await this.send(subject, payload, messageId);
      this.metrics.message('published', subject, 'ok');
      return published;
    } catch (error) {
      this.metrics.message('published', subject, 'failed');
      throw error;
    }
  }

  private async send(subject: string, payload: unknown, messageId: string): Promise<{ duplicate: boolean }> {
    const connection = this.nats.current();
    // Once per connection, and only in services that queue work (not at every service's start).
    if (this.streamEnsuredOn !== connection) {
      await ensureWorkStream(await connection.jetstreamManager(), this.replicas());
      this.streamEnsuredOn = connection;
    }
    let ack;
    try {
      ack = await this.nats.jetstream().publish(subject, codec.encode(payload), {
        msgID: messageId,
        timeout: PUB_ACK_TIMEOUT_MS,
        expect: { streamName: JOBS_STREAM.name },
      });
    } catch (error) {
      // The server may have lost the stream (restarted without its store): look again next time.
      this.streamEnsuredOn = undefined;
      throw error;
    }
    return { duplicate: ack.duplicate };
  }

  /** Items waiting or in progress on a durable consumer; null when NATS cannot tell right now. */
  async backlog(durableName: string): Promise<number | null> {
    try {
      const jsm = await this.nats.current().jetstreamManager();
      const info = await jsm.consumers.info(JOBS_STREAM.name, durableName);
      return info.num_pending + info.num_ack_pending;
    } catch (error) {
      this.logger.debug(`backlog of ${durableName} unknown: ${errorMessage(error)}`);
      return null;
    }
  }

  startWorker<T>(spec: WorkQueueSpec<T>): WorkQueueWorker<T> {
    const worker = new WorkQueueWorker(this.nats, spec, this.replicas(), this.metrics);
    this.workers.push(worker as unknown as WorkQueueWorker<unknown>);
    worker.start();
    return worker;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.stop()));
  }

  private replicas(): number {
    // The same replication as the event stream: one setting for the cluster's durability.
    return this.config.eventStream.replicas;
  }
}
