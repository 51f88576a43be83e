import { Global, Module } from '@nestjs/common';
import { BuildInfoMetrics } from './build-info-metrics';
import { HttpMetrics } from './http-metrics';
import { LoadSheddingMetrics } from './load-shedding-metrics';
import { MetricsRegistry } from './metrics-registry';
import { NatsMetrics } from './nats-metrics';
import { MongoPoolMetrics } from './pool-metrics';

/**
 * The families every service records (build info, HTTP, load shedding, NATS, MongoDB pool; the
 * runtime comes with the registry).
 */
const EXPORTED = [
  MetricsRegistry,
  BuildInfoMetrics,
  HttpMetrics,
  LoadSheddingMetrics,
  NatsMetrics,
  MongoPoolMetrics,
];

/**
 * One registry per application (not per process): libs and apps record into the same one. An
 * app's own families (claims, generation, …) are providers of the app's module, so that its
 * /metrics shows only what it records.
 */
@Global()
@Module({ providers: EXPORTED, exports: EXPORTED })
export class MetricsModule {}
