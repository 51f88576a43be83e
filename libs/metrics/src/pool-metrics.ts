import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** Brands with their own series at most: cardinality stays bounded whatever the configuration. */
export const MAX_BRAND_SERIES = 100;

@Injectable()
export class CodePoolMetrics {
  private readonly available: Gauge<'brand'>;

  constructor(registry: MetricsRegistry) {
    this.available = new Gauge({
      name: 'discounts_codes_available',
      help: `Available codes of the watched brands (METRICS_BRANDS / METRICS_TOP_BRANDS, at most ${MAX_BRAND_SERIES})`,
      labelNames: ['brand'],
      registers: [registry],
    });
  }

  /** Replaces every brand series: brands no longer watched disappear. */
  set(levels: ReadonlyMap<string, number>): void {
    this.available.reset();
    let n = 0;
    for (const [brand, count] of levels) {
      if (n++ === MAX_BRAND_SERIES) break;
      this.available.set({ brand }, count);
    }
  }
}

export const MONGO_POOL_STATES = ['in_use', 'open'] as const;

/** Fed by the driver's connection pool (CMAP) events. */
@Injectable()
export class MongoPoolMetrics {
  private readonly connections: Gauge<'state'>;
  private readonly poolMaxSize: Gauge;

  constructor(registry: MetricsRegistry) {
    this.connections = new Gauge({
      name: 'discounts_mongodb_pool_connections',
      help: 'MongoDB driver pool connections: open (created, not closed) and in_use (checked out)',
      labelNames: ['state'],
      registers: [registry],
    });
    this.poolMaxSize = new Gauge({
      name: 'discounts_mongodb_pool_max_size',
      help: 'The MongoDB driver pool size limit (maxPoolSize)',
      registers: [registry],
    });
    for (const state of MONGO_POOL_STATES) this.connections.set({ state }, 0);
  }

  maxSize(size: number): void {
    this.poolMaxSize.set(size);
  }

  change(state: (typeof MONGO_POOL_STATES)[number], delta: number): void {
    this.connections.inc({ state }, delta);
  }
}
