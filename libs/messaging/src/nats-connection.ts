import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect, Events, type ConnectionOptions, type NatsConnection } from 'nats';
import type { NatsConfig } from '@app/config';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

/** Options shared by our own connection and Nest's NATS transport. */
export function natsConnectionOptions(config: NatsConfig, name: string): ConnectionOptions {
  return {
    servers: [...config.servers],
    name,
    user: config.user,
    pass: config.password,
    token: config.token,
    // Never give up: an outage must heal without a restart.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
  };
}

export async function connectNats(config: NatsConfig, name: string): Promise<NatsConnection> {
  const connection = await connect(natsConnectionOptions(config, name));
  const logger = new Logger('Nats');
  const worthTelling: readonly string[] = [Events.Disconnect, Events.Reconnect, Events.Error];
  void (async () => {
    for await (const status of connection.status()) {
      if (worthTelling.includes(status.type)) logger.warn(`NATS ${status.type}`);
    }
  })();
  return connection;
}

/** Drains the connection on shutdown so messages already handed to it are flushed. */
@Injectable()
export class NatsConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}
