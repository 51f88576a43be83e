import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { errorMessage, PeriodicTask } from '@app/scheduling';
import type { RunningConsumer } from './durable-consumer';

/** How often consumer lag is read from the server (one consumer-info request per consumer). */
const LAG_REFRESH_MS = 5_000;

/**
 * Every durable consumer of the process, event consumers and work-queue workers alike: their lag
 * is read into its gauge, and they are all stopped, work in hand finished, before NATS is closed.
 */
@Injectable()
export class RunningConsumers implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RunningConsumers.name);
  private readonly consumers: RunningConsumer[] = [];
  private readonly lag = new PeriodicTask(
    { name: 'consumer lag read', intervalMs: LAG_REFRESH_MS, failureLevel: 'debug' },
    () => this.refreshLag(),
  );

  start<C extends RunningConsumer & { start(): void }>(consumer: C): C {
    this.consumers.push(consumer);
    consumer.start();
    if (this.consumers.length === 1) this.lag.start();
    return consumer;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.lag.stop();
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }

  private async refreshLag(): Promise<void> {
    for (const consumer of this.consumers) {
      await consumer.refreshLag().catch((error: unknown) => {
        this.logger.debug(`consumer lag not read: ${errorMessage(error)}`);
      });
    }
  }
}
