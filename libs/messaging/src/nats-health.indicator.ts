import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { NatsConnection } from 'nats';
import { NATS_CONNECTION } from './nats-connection';

const PING_TIMEOUT_MS = 1_000;

@Injectable()
export class NatsHealthIndicator {
  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    private readonly health: HealthIndicatorService,
  ) {}

  /** A round trip to the server, not just a flag: a half-open socket looks connected. */
  async isHealthy(key = 'nats') {
    const indicator = this.health.check(key);
    if (this.connection.isClosed()) return indicator.down({ message: 'connection closed' });
    try {
      const rtt = await withTimeout(this.connection.rtt(), PING_TIMEOUT_MS);
      return indicator.up({ rttMs: rtt });
    } catch {
      return indicator.down({ message: `no answer within ${PING_TIMEOUT_MS} ms` });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
