import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';

const PING_TIMEOUT_MS = 1_500;

@Injectable()
export class MongoHealthIndicator {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly health: HealthIndicatorService,
  ) {}

  /** A ping round trip: the driver's state flag says nothing about a server that stopped answering. */
  async isHealthy(key = 'mongodb') {
    const indicator = this.health.check(key);
    const db = this.connection.db;
    if (!db) return indicator.down({ message: 'not connected' });
    const started = performance.now();
    try {
      await withTimeout(db.admin().ping(), PING_TIMEOUT_MS);
      return indicator.up({ rttMs: Math.round(performance.now() - started) });
    } catch (error) {
      return indicator.down({
        message: error instanceof TimeoutError ? `no answer within ${PING_TIMEOUT_MS} ms` : 'ping failed',
      });
    }
  }
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
