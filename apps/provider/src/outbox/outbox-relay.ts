import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { APP_CONFIG } from '@app/config';
import { SUBJECTS } from '@app/contracts';
import { contextFromCarrier, EventPublisher, NatsClient } from '@app/messaging';
import { OutboxMetrics } from '@app/metrics';
import { CodeClaimsRepository, type ClaimedCode } from '@app/persistence';
import { BatchWriter, errorMessage, PeriodicTask } from '@app/scheduling';
import type { ProviderConfig } from '../provider.config';
import { claimEventOf } from './claim-event';

/**
 * A claim younger than this is left to its own immediate publish, which is usually still in
 * flight; the scan is for leftovers.
 */
const SCAN_GRACE_MS = 2_000;

/**
 * Publishes the events of stored claims (the claimed code documents are the outbox): right
 * after each claim, without the request waiting for it, and by a periodic scan for whatever
 * is left (NATS was down, the process died between claim and publish). A claim leaves the
 * outbox only once JetStream acknowledged its event.
 *
 * Several provider replicas may scan at once and publish the same event twice: JetStream keeps
 * one, because the event id is the message id (and consumers dedupe by event id beyond the
 * duplicate window). So no lock is needed between replicas.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  /** The outbox gauge and the scan, on the relay's interval (also while NATS is down: that is when it grows). */
  private readonly task: PeriodicTask;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /**
   * Published claims are marked in batches, one write for many claims under load. A failed mark
   * only means their events are published again later, which JetStream and the consumers absorb.
   */
  private readonly marks: BatchWriter<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: ProviderConfig,
    private readonly claims: CodeClaimsRepository,
    private readonly publisher: EventPublisher,
    private readonly nats: NatsClient,
    private readonly metrics: OutboxMetrics,
  ) {
    publisher.declare(SUBJECTS.codeClaimed);
    this.marks = new BatchWriter(
      { name: 'claim events marked published', maxItems: 200, maxDelayMs: 50 },
      (ids) => this.claims.markEventsPublished(ids, new Date()),
    );
    this.task = new PeriodicTask(
      { name: 'outbox scan', intervalMs: config.outbox.relayIntervalMs },
      async () => {
        await this.countPending();
        await this.scan();
      },
    );
  }

  onApplicationBootstrap(): void {
    // At start-up (a previous process may have died with claims pending) and after every reconnection.
    this.nats.onConnected(() => this.scanSoon());
    this.task.start();
  }

  /** Called right after a claim is stored; never throws, never makes the caller wait. */
  publishSoon(claim: ClaimedCode): void {
    // While disconnected the publish would only fail; the scan after reconnection takes it.
    if (this.stopped || !this.nats.isConnected()) return;
    this.track(this.publish(claim));
  }

  private async countPending(): Promise<void> {
    try {
      this.metrics.pending(await this.claims.countPendingEvents());
    } catch (error) {
      this.logger.debug(`outbox not counted: ${errorMessage(error)}`);
    }
  }

  /** Scans now, or right after the scan in progress. */
  scanSoon(): void {
    this.task.runSoon();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.task.stop();
    await Promise.allSettled([...this.inFlight]);
    await this.marks.flush();
  }

  /** Rounds of at most relayBatchSize claims until the backlog is gone or a publish fails. */
  private async scan(): Promise<void> {
    const { relayBatchSize } = this.config.outbox;
    while (!this.stopped && this.nats.isConnected()) {
      const pending = await this.claims.findPendingEvents(
        relayBatchSize,
        new Date(Date.now() - SCAN_GRACE_MS),
      );
      if (pending.length === 0) return;
      const results = await Promise.all(pending.map((claim) => this.publish(claim)));
      const failures = results.filter((result) => result !== true);
      const marked = await this.marks.flush();
      if (failures.length > 0) {
        this.logger.warn(
          `${failures.length} of ${pending.length} pending claim events not published yet ` +
            `(${failures[0]}); retrying later`,
        );
        return;
      }
      if (!marked || pending.length < relayBatchSize) return;
    }
  }

  /** True once JetStream stored the event (the claim is then queued for marking), else why not. */
  private async publish(claim: ClaimedCode): Promise<true | string> {
    try {
      await this.publisher.publish(SUBJECTS.codeClaimed, claimEventOf(claim), {
        parent: claim.traceContext ? contextFromCarrier(claim.traceContext) : context.active(),
      });
    } catch (error) {
      const reason = errorMessage(error);
      this.logger.debug(`code.claimed ${claim.eventId} not published yet: ${reason}`);
      return reason;
    }
    this.marks.add(claim.id);
    return true;
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }
}
