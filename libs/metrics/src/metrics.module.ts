import { Global, Module } from '@nestjs/common';
import { ClaimMetrics } from './claim-metrics';
import { GenerationMetrics } from './generation-metrics';
import { HttpMetrics } from './http-metrics';
import { MetricsRegistry } from './metrics-registry';
import { NatsMetrics } from './nats-metrics';
import { OutboxMetrics } from './outbox-metrics';
import { CodePoolMetrics, MongoPoolMetrics } from './pool-metrics';
import { WebhookMetrics } from './webhook-metrics';

const EXPORTED = [
  MetricsRegistry,
  HttpMetrics,
  ClaimMetrics,
  NatsMetrics,
  OutboxMetrics,
  WebhookMetrics,
  GenerationMetrics,
  CodePoolMetrics,
  MongoPoolMetrics,
];

/** One registry per application (not per process): libs and apps record into the same one. */
@Global()
@Module({ providers: EXPORTED, exports: EXPORTED })
export class MetricsModule {}
