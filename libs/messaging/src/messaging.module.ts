import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsModule } from '@app/metrics';
import { CommandClient } from './command-client';
import { EventConsumers } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { NatsClient } from './nats-client';
import { NatsHealthIndicator } from './nats-health.indicator';
import { RunningConsumers } from './running-consumers';
import { StreamFill } from './stream-fill';
import { WorkQueue } from './work-queue';

const EXPORTED = [NatsClient, EventPublisher, EventConsumers, CommandClient, NatsHealthIndicator, WorkQueue];

@Global()
@Module({
  imports: [TerminusModule, MetricsModule],
  providers: [...EXPORTED, RunningConsumers, StreamFill],
  exports: EXPORTED,
})
export class MessagingModule {}
