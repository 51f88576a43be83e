import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { errorMessage, withTimeout } from '@app/scheduling';
import { NatsClient } from './nats-client';

const PING_TIMEOUT_MS = 1_000;
const JETSTREAM_TIMEOUT_MS = 1_500;

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
      return indicator.up({ rttMs: await withTimeout(connection.rtt(), PING_TIMEOUT_MS) });
    } catch (error) {
      return indicator.down({ message: errorMessage(error) });
    }
  }

  /**
   * JetStream answers an account-info request: a NATS server can be up with JetStream off or
   * without a quorum, and then no event is stored.
   */
  async isJetStreamHealthy(key = 'jetstream') {
    const indicator = this.health.check(key);
    if (!this.nats.isConnected()) return indicator.down({ message: 'NATS not connected' });
    try {
      const info = await withTimeout(
        this.nats
          .current()
          .jetstreamManager()
          .then((jsm) => jsm.getAccountInfo()),
        JETSTREAM_TIMEOUT_MS,
      );
      return indicator.up({ streams: info.streams, consumers: info.consumers });
    } catch (error) {
      return indicator.down({ message: errorMessage(error) });
    }
  }
}
