import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ConnectionStates, type Connection, type mongo } from 'mongoose';

interface Heartbeat {
  readonly ok: boolean;
  /** A polled heartbeat's round trip; none for a streamed one, which waits for news on purpose. */
  readonly durationMs?: number;
  readonly failure?: string;
}

/**
 * MongoDB as readiness sees it: reachable or not, by the driver's own server monitoring (a
 * heartbeat every heartbeatFrequencyMS on a connection of its own), never by a command of the
 * probe's. A ping would queue behind the pool's work: when the shared database is slow, every
 * replica's ping would time out at once and the Service would lose all its endpoints, although
 * each pod could still answer (slowly, or with a quick 503 of its own). So slowness is reported
 * (the last heartbeat's duration) but fails nothing; a database the driver cannot reach does.
 */
@Injectable()
export class MongoHealthIndicator {
  /** The last heartbeat of each server the driver monitors, by address. */
  private readonly heartbeats = new Map<string, Heartbeat>();

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly health: HealthIndicatorService,
  ) {
    const client = connection.getClient();
    client.on('serverHeartbeatSucceeded', (event: mongo.ServerHeartbeatSucceededEvent) =>
      this.heartbeats.set(event.connectionId, {
        ok: true,
        durationMs: event.awaited ? undefined : event.duration,
      }),
    );
    client.on('serverHeartbeatFailed', (event: mongo.ServerHeartbeatFailedEvent) =>
      this.heartbeats.set(event.connectionId, { ok: false, failure: event.failure.message }),
    );
  }

  isHealthy(key = 'mongodb') {
    const indicator = this.health.check(key);
    if (this.connection.readyState !== ConnectionStates.connected)
      return indicator.down({ message: 'not connected' });
    const beats = [...this.heartbeats.values()];
    // Before the first heartbeat the connection's own state is all there is.
    if (beats.length === 0) return indicator.up();
    const answered = beats.filter((beat) => beat.ok);
    if (answered.length === 0)
      return indicator.down({ message: `no server answers its heartbeat: ${beats[0]!.failure}` });
    const polled = answered.flatMap((beat) => (beat.durationMs === undefined ? [] : [beat.durationMs]));
    return indicator.up(polled.length > 0 ? { heartbeatMs: Math.round(Math.min(...polled)) } : {});
  }
}
