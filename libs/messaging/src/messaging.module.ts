import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CommandClient } from './command-client';
import { EventConsumers } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { NatsClient } from './nats-client';
import { NatsHealthIndicator } from './nats-health.indicator';
import { WorkQueue } from './work-queue';

const EXPORTED = [NatsClient, EventPublisher, EventConsumers, CommandClient, NatsHealthIndicator, WorkQueue];

@Global()
@Module({
  imports: [TerminusModule],
  providers: EXPORTED,
  exports: EXPORTED,
})
export class MessagingModule {}
