import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { LATENCY_BUCKETS } from './buckets';
import { MetricsRegistry } from './metrics-registry';

/** Route label of requests no route matched: the raw URL would be unbounded and may hold a secret. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * RED metrics per route template. Probes and scrapes are left out: they arrive every few seconds
 * from the orchestrator and Prometheus and would drown the traffic that matters.
 */
export function isInfrastructureRoute(route: string): boolean {
  return route === '/metrics' || route.startsWith('/health/');
}

@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(registry: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  /** `route` must be the route template (or UNMATCHED_ROUTE), never the request URL. */
  observe(method: string, route: string, status: number, seconds: number): void {
    if (isInfrastructureRoute(route)) return;
    this.duration.observe({ method, route, status: String(status) }, seconds);
  }
}
