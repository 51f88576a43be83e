import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/**
 * How the replicas' request limits keep in step (libs/ratelimit SpendExchange): batches of
 * admitted requests sent and applied, what this replica has not shared yet, and whether it is
 * holding the limits on its own because batches do not get through.
 */
@Injectable()
export class RateLimitMetrics {
  private readonly batches: Counter<'direction'>;
  private readonly localOnlyGauge: Gauge;
  private readonly lockoutsLearned: Counter<'policy'>;
  private unsharedOf: () => number = () => 0;

  constructor(registry: MetricsRegistry) {
    this.batches = new Counter({
      name: 'discounts_ratelimit_batches_total',
      help: 'Batches of admitted requests sent to the other replicas, or received from them and applied',
      labelNames: ['direction'],
      registers: [registry],
    });
    for (const direction of ['sent', 'received'] as const) this.batches.labels(direction).inc(0);
    const unshared: Gauge = new Gauge({
      name: 'discounts_ratelimit_unshared',
      help: 'Keys with admitted requests not yet sent to the other replicas, plus batches waiting for a retry',
      registers: [registry],
      collect: () => unshared.set(this.unsharedOf()),
    });
    this.localOnlyGauge = new Gauge({
      name: 'discounts_ratelimit_local_only',
      help: '1 while batches do not get through and this replica holds the request limits on its own',
      registers: [registry],
    });
    this.localOnlyGauge.set(0);
    this.lockoutsLearned = new Counter({
      name: 'discounts_ratelimit_lockouts_learned_total',
      help: 'Lockouts this replica learnt of (recorded or read here, or written by another replica), by policy',
      labelNames: ['policy'],
      registers: [registry],
    });
  }

  /** Series for every configured lockout policy from the start (policy names are configuration). */
  declareLockoutPolicies(policies: readonly string[]): void {
    for (const policy of policies) this.lockoutsLearned.labels(policy).inc(0);
  }

  lockoutLearned(policy: string): void {
    this.lockoutsLearned.labels(policy).inc();
  }

  batch(direction: 'sent' | 'received'): void {
    this.batches.labels(direction).inc();
  }

  localOnly(degraded: boolean): void {
    this.localOnlyGauge.set(degraded ? 1 : 0);
  }

  /** Read at each scrape. */
  countUnsharedWith(unshared: () => number): void {
    this.unsharedOf = unshared;
  }
}
