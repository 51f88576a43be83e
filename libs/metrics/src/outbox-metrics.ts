import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

@Injectable()
export class OutboxMetrics {
  private readonly pendingGauge: Gauge;

  constructor(registry: MetricsRegistry) {
    this.pendingGauge = new Gauge({
      name: 'discounts_outbox_pending',
      help: 'Claims whose code.claimed event is not yet acknowledged by JetStream (last relay count)',
      registers: [registry],
    });
  }

  pending(count: number): void {
    this.pendingGauge.set(count);
  }
}
