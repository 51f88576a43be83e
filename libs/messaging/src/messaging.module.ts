import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { COMMON_CONFIG, type CommonConfig } from '@app/config';
import { EventPublisher } from './event-publisher';
import { NATS_CONNECTION, NatsConnectionCloser, connectNats } from './nats-connection';
import { NatsHealthIndicator } from './nats-health.indicator';

@Global()
@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: NATS_CONNECTION,
      inject: [COMMON_CONFIG],
      useFactory: (config: CommonConfig) => connectNats(config.nats, config.serviceName),
    },
    NatsConnectionCloser,
    EventPublisher,
    NatsHealthIndicator,
  ],
  exports: [NATS_CONNECTION, EventPublisher, NatsHealthIndicator],
})
export class MessagingModule {}
