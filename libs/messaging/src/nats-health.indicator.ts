import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { NatsClient } from './nats-client';

const PING_TIMEOUT_MS = 1_000;

@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly nats: NatsClient,
    private readonly health: HealthIndicatorService,
  ) {}

  /** A round trip to the server, not just a flag: a half-open socket looks connected. */
  async isHealthy(key = 'nats') {
    const indicator = this.health.check(key);
    const connection = this.nats.connectionForHealth();
    if (!connection) return indicator.down({ message: 'not connected yet (retrying)' });
    if (connection.isClosed()) return indicator.down({ message: 'connection closed' });
    try {
      const rtt = await withTimeout(connection.rtt(), PING_TIMEOUT_MS);
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
