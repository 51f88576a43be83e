import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsModule } from '@app/metrics';
import { CommandClient } from './command-client';
import { EventConsumers } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { NatsClient } from './nats-client';
import { JetStreamHealthIndicator } from './jetstream-health.indicator';
import { NatsHealthIndicator } from './nats-health.indicator';
import { WorkQueue } from './work-queue';

const EXPORTED = [
  NatsClient,
  EventPublisher,
  EventConsumers,
  CommandClient,
  NatsHealthIndicator,
  JetStreamHealthIndicator,
  WorkQueue,
];

@Global()
@Module({
  imports: [TerminusModule, MetricsModule],
  providers: EXPORTED,
  exports: EXPORTED,
})
export class MessagingModule {}
