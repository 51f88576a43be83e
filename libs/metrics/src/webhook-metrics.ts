import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { SLOW_CALL_BUCKETS } from './buckets';
import { MetricsRegistry } from './metrics-registry';

/** delivered: 2xx; retry: failed, tried again later; dead: failed for good (dead letter). */
export const WEBHOOK_OUTCOMES = ['delivered', 'retry', 'dead'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

@Injectable()
export class WebhookMetrics {
  private readonly deliveries: Counter<'outcome'>;
  private readonly deadLetters: Counter;
  private readonly duration: Histogram<'outcome'>;

  constructor(registry: MetricsRegistry) {
    this.deliveries = new Counter({
      name: 'discounts_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'discounts_webhook_dead_letters_total',
      help: 'Webhook deliveries given up on (attempts or age exhausted)',
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'discounts_webhook_delivery_duration_seconds',
      help: 'Time from sending a webhook to its response status (or failure)',
      labelNames: ['outcome'],
      buckets: SLOW_CALL_BUCKETS,
      registers: [registry],
    });
    for (const outcome of WEBHOOK_OUTCOMES) {
      this.deliveries.inc({ outcome }, 0);
      this.duration.zero({ outcome });
    }
  }

  attempted(outcome: WebhookOutcome, seconds: number): void {
    this.deliveries.inc({ outcome });
    this.duration.observe({ outcome }, seconds);
    if (outcome === 'dead') this.deadLetters.inc();
  }
}
