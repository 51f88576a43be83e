import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import {
  CodeLifecycleEventsRepository,
  CodeRedemptionsRepository,
  GenerationJobEndEventsRepository,
  GenerationJobsRepository,
  type CodeWithPendingEvents,
} from '@app/persistence';
import { drainInBatches, PeriodicTask, type BatchLimits } from '@app/scheduling';
import { WebhookEvents, type WebhookEvent } from '../webhooks/webhook-events';
import { codeEventBody, jobEndBody } from './lifecycle-webhooks';

/**
 * The scan for what no listener took: events another replica wrote and did not relay (it died
 * in between), or this one's while the database was down. Events written here are taken at once.
 */
const SCAN_INTERVAL_MS = 5_000;
/**
 * Codes, and jobs, read per batch, and batches per run at most: a backlog larger than this waits
 * for the next run, other work goes on.
 */
const BATCHES: BatchLimits = { size: 100, maxBatches: 20 };

/**
 * Relays the generator's own outboxes into webhook deliveries: the events a redemption or a
 * rollback writes into its code (code.redeemed, code.redemption_rolled_back) and the end a job's
 * completion or failure writes into the job (job.completed, job.failed). Each event leaves its
 * outbox only once its delivery is stored (or its brand wants none), so none is lost to a crash;
 * one relayed twice (two replicas, a crash after the delivery) is one delivery, stored under the
 * event's id.
 */
@Injectable()
export class LifecycleEventRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LifecycleEventRelay.name);
  private readonly task: PeriodicTask;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly codeEvents: CodeLifecycleEventsRepository,
    private readonly redemptions: CodeRedemptionsRepository,
    private readonly jobs: GenerationJobsRepository,
    private readonly jobEndEvents: GenerationJobEndEventsRepository,
    private readonly webhooks: WebhookEvents,
  ) {
    this.task = new PeriodicTask({ name: 'lifecycle event relay', intervalMs: SCAN_INTERVAL_MS }, () =>
      this.relay(),
    );
  }

  onApplicationBootstrap(): void {
    this.unsubscribe.push(
      this.redemptions.onLifecycleEventPending(() => this.task.runSoon()),
      this.jobs.onEventPending(() => this.task.runSoon()),
    );
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await this.task.stop();
  }

  /** Both outboxes, each whatever became of the other (the first failure is logged by the task). */
  private async relay(): Promise<void> {
    let failure: Error | undefined;
    for (const outbox of [() => this.relayJobEnds(), () => this.relayCodeEvents()]) {
      try {
        await outbox();
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
    if (failure) throw failure;
  }

  private async relayJobEnds(): Promise<void> {
    await drainInBatches(async (limit) => {
      const jobs = await this.jobEndEvents.findEventPending(limit);
      const events: WebhookEvent[] = jobs.flatMap((job) => {
        const body = jobEndBody(job);
        return body ? [{ body }] : [];
      });
      await this.webhooks.deliver(events);
      for (const job of jobs) await this.jobEndEvents.clearEventPending(job.id);
      return jobs.length;
    }, BATCHES);
  }

  private async relayCodeEvents(): Promise<void> {
    await drainInBatches(async (limit) => {
      const codes = await this.codeEvents.findPending(limit);
      await this.webhooks.deliver(codes.flatMap((code) => this.bodiesOf(code)));
      for (const code of codes) {
        await this.codeEvents.removeRelayed(
          code.brandId,
          code.code,
          code.events.map((e) => e.eventId),
        );
      }
      return codes.length;
    }, BATCHES);
  }

  private bodiesOf(code: CodeWithPendingEvents): WebhookEvent[] {
    return code.events.flatMap((event) => {
      const body = codeEventBody(code, event);
      if (!body) {
        this.logger.warn(
          `${event.type} ${event.eventId} of code ${code.code} (brand ${code.brandId}): the code has no holder; dropped`,
        );
        return [];
      }
      return [{ body }];
    });
  }
}
