import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { LATENCY_BUCKETS } from './buckets';
import { MetricsRegistry } from './metrics-registry';

export type NatsDirection = 'published' | 'consumed' | 'requested';
export type NatsOutcome = 'ok' | 'failed' | 'invalid';

/**
 * Subjects are the contract constants (a handful), never built from data, so they are safe labels.
 */
@Injectable()
export class NatsMetrics {
  private readonly messages: Counter<'direction' | 'subject' | 'outcome'>;
  private readonly handlerDuration: Histogram<'subject'>;
  private readonly consumerPending: Gauge<'consumer'>;
  private readonly streamFillRatio: Gauge<'stream' | 'limit'>;
  private readonly connected: Gauge;

  constructor(registry: MetricsRegistry) {
    this.messages = new Counter({
      name: 'discounts_nats_messages_total',
      help: 'NATS messages published, consumed or requested, by subject and outcome',
      labelNames: ['direction', 'subject', 'outcome'],
      registers: [registry],
    });
    this.handlerDuration = new Histogram({
      name: 'discounts_nats_handler_duration_seconds',
      help: 'Time a consumer takes to handle a batch of events, or a request to be answered',
      labelNames: ['subject'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.consumerPending = new Gauge({
      name: 'discounts_nats_consumer_pending',
      help: 'Messages a durable consumer has not yet acknowledged (pending + ack pending)',
      labelNames: ['consumer'],
      registers: [registry],
    });
    this.streamFillRatio = new Gauge({
      name: 'discounts_nats_stream_fill_ratio',
      help: 'How full a JetStream stream is against its byte or message limit (0–1; absent without a limit)',
      labelNames: ['stream', 'limit'],
      registers: [registry],
    });
    this.connected = new Gauge({
      name: 'discounts_nats_connected',
      help: '1 while the service has a NATS connection',
      registers: [registry],
    });
  }

  /** Series that exist before the first message, so rates and alerts start at 0. */
  declare(direction: NatsDirection, subject: string): void {
    for (const outcome of ['ok', 'failed'] as const) this.messages.inc({ direction, subject, outcome }, 0);
  }

  message(direction: NatsDirection, subject: string, outcome: NatsOutcome, count = 1): void {
    this.messages.inc({ direction, subject, outcome }, count);
  }

  /** Runs `work` (a publish, a request) and counts it as ok or failed. */
  async counted<T>(direction: NatsDirection, subject: string, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.message(direction, subject, 'ok');
      return result;
    } catch (error) {
      this.message(direction, subject, 'failed');
      throw error;
    }
  }

  handled(subject: string, seconds: number): void {
    this.handlerDuration.observe({ subject }, seconds);
  }

  pending(consumer: string, count: number): void {
    this.consumerPending.set({ consumer }, count);
  }

  /** `max` ≤ 0 is "no limit" in JetStream: no ratio then. */
  streamFill(stream: string, limit: 'bytes' | 'messages', used: number, max: number): void {
    if (max > 0) this.streamFillRatio.set({ stream, limit }, used / max);
    else this.streamFillRatio.remove({ stream, limit });
  }

  setConnected(connected: boolean): void {
    this.connected.set(connected ? 1 : 0);
  }
}
