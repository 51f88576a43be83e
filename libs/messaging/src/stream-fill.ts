import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EVENTS_STREAM } from '@app/contracts';
import { NatsMetrics } from '@app/metrics';
import { PeriodicTask } from '@app/scheduling';
import { NatsClient } from './nats-client';

const FILL_REFRESH_MS = 5_000;

/**
 * How full the events stream is, read by every service: the provider, whose publishes a full
 * stream refuses, reports it even while the generator is down.
 */
@Injectable()
export class StreamFill implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task = new PeriodicTask(
    { name: 'stream fill read', intervalMs: FILL_REFRESH_MS, failureLevel: 'debug' },
    () => this.refresh(),
  );

  constructor(
    private readonly nats: NatsClient,
    private readonly metrics: NatsMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  private async refresh(): Promise<void> {
    if (!this.nats.isConnected()) return;
    const jsm = await this.nats.current().jetstreamManager();
    const { config, state } = await jsm.streams.info(EVENTS_STREAM.name);
    this.metrics.streamFill(EVENTS_STREAM.name, 'bytes', state.bytes, config.max_bytes);
    this.metrics.streamFill(EVENTS_STREAM.name, 'messages', state.messages, config.max_msgs);
  }
}
