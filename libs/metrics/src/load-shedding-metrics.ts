import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** Why a request was refused: which LOAD_SHED_* threshold was crossed. */
export const SHED_REASONS = [
  'event_loop_delay',
  'event_loop_utilization',
  'heap',
  'rss',
  'in_flight',
] as const;
export type ShedReason = (typeof SHED_REASONS)[number];

@Injectable()
export class LoadSheddingMetrics {
  private readonly shedCounter: Counter<'reason'>;
  private inFlightOf: () => number = () => 0;

  constructor(registry: MetricsRegistry) {
    this.shedCounter = new Counter({
      name: 'discounts_http_requests_shed_total',
      help: 'Requests refused with 503 before any work because the process was overloaded, by threshold crossed',
      labelNames: ['reason'],
      registers: [registry],
    });
    // Every reason from the start, so that rate() and the alert see a 0 before the first shed.
    for (const reason of SHED_REASONS) this.shedCounter.labels(reason).inc(0);
    const inFlight: Gauge = new Gauge({
      name: 'discounts_http_requests_in_flight',
      help: 'Requests being served now (health, readiness and metrics left out); see LOAD_SHED_MAX_IN_FLIGHT',
      registers: [registry],
      collect: () => inFlight.set(this.inFlightOf()),
    });
  }

  shed(reason: ShedReason): void {
    this.shedCounter.labels(reason).inc();
  }

  /** The HTTP app's own count, read at each scrape. */
  countInFlightWith(inFlight: () => number): void {
    this.inFlightOf = inFlight;
  }
}
