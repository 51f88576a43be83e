import { Transport, type NatsOptions } from '@nestjs/microservices';
import type { NatsConfig } from '@app/config';
import { natsConnectionOptions } from './nats-client';

/**
 * Nest's NATS transport for @MessagePattern command handlers (core request/reply only; events
 * go through JetStream). The queue group makes replicas of one service share each request.
 */
export function natsMicroserviceOptions(config: NatsConfig, serviceName: string): NatsOptions {
  return {
    transport: Transport.NATS,
    options: { ...natsConnectionOptions(config, `${serviceName}-handlers`), queue: serviceName },
  };
}
