import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { NatsClient } from './nats-client';
import { errorMessage } from '@app/scheduling';

const TIMEOUT_MS = 1_500;

@Injectable()
export class JetStreamHealthIndicator {
  constructor(
    private readonly nats: NatsClient,
    private readonly health: HealthIndicatorService,
  ) {}

  /**
   * JetStream answers an account-info request: a NATS server can be up with JetStream off or
   * without a quorum, and then no event is stored.
   */
  async isHealthy(key = 'jetstream') {
    const indicator = this.health.check(key);
    if (!this.nats.isConnected()) return indicator.down({ message: 'NATS not connected' });
    let timer: NodeJS.Timeout | undefined;
    try {
      const info = await Promise.race([
        this.nats
          .current()
          .jetstreamManager()
          .then((jsm) => jsm.getAccountInfo()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        }),
      ]);
      return indicator.up({ streams: info.streams, consumers: info.consumers });
    } catch (error) {
      return indicator.down({ message: errorMessage(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
