import { Transport, type NatsOptions } from '@nestjs/microservices';
import type { NatsConfig } from '@app/config';
import { natsConnectionOptions } from './nats-connection';

/**
 * Nest's NATS transport for @EventPattern / @MessagePattern handlers. The queue group makes
 * replicas of one service share each message instead of all receiving it.
 */
export function natsMicroserviceOptions(config: NatsConfig, serviceName: string): NatsOptions {
  return {
    transport: Transport.NATS,
    options: { ...natsConnectionOptions(config, `${serviceName}-handlers`), queue: serviceName },
  };
}
