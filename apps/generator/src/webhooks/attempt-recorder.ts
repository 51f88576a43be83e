import { Inject, Injectable, Logger } from '@nestjs/common';
import { WebhookMetrics } from '@app/metrics';
import {
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
  type AttemptSummary,
  type LeasedDelivery,
} from '@app/persistence';
import { WEBHOOK_CONFIG, type WebhookConfig } from '../generator.config';
import { describeResult, nextStep, type AttemptResult } from './retry-policy';
import { safeTarget } from './signed-post';

/** What one attempt ended in, for its delivery and its log. */
export interface AttemptOutcome {
  readonly lease: LeasedDelivery;
  readonly result: AttemptResult;
  readonly attempt: number;
  readonly at: Date;
  readonly durationMs: number;
  /** Where it was sent; undefined when the brand had no webhook any more. */
  readonly url: string | undefined;
}

/**
 * Records an attempt: in the attempt log, in the metrics, and in its delivery, which the retry
 * policy marks delivered, due again at a later time, or dead.
 */
@Injectable()
export class AttemptRecorder {
  private readonly logger = new Logger('WebhookDispatcher');

  constructor(
    @Inject(WEBHOOK_CONFIG) private readonly settings: WebhookConfig,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly attemptLog: WebhookAttemptsRepository,
    private readonly metrics: WebhookMetrics,
  ) {}

  async record({ lease, result, attempt, at, durationMs, url }: AttemptOutcome): Promise<void> {
    const step = nextStep(result, lease.cycleAttempts + 1, lease.cycleStartedAt, new Date(), {
      maxAttempts: this.settings.maxAttempts,
      maxAgeMs: this.settings.maxAgeMs,
      baseMs: this.settings.backoffBaseMs,
      maxMs: this.settings.backoffMaxMs,
    });
    const summary: AttemptSummary = {
      at,
      outcome: step.action === 'delivered' ? 'delivered' : 'failed',
      ...(result.kind === 'response' ? { statusCode: result.statusCode } : {}),
      ...(step.action === 'delivered' ? {} : { error: describeResult(result) }),
      durationMs,
    };
    this.metrics.attempted(step.action, durationMs / 1000);
    await this.attemptLog.record(lease.brandId, { deliveryId: lease.id, number: attempt, ...summary });
    const where = `webhook ${lease.id} of brand ${lease.brandId} to ${url ? safeTarget(url).origin : 'nowhere'}`;
    switch (step.action) {
      case 'delivered':
        await this.deliveries.recordDelivered(lease, summary);
        return;
      case 'retry':
        await this.deliveries.recordRetry(lease, summary, step.at);
        this.logger.warn(
          `${where}: attempt ${attempt} failed (${describeResult(result)}); next at ${step.at.toISOString()}`,
        );
        return;
      case 'dead':
        await this.deliveries.recordDead(lease, summary, step.reason);
        this.logger.warn(`${where}: dead-lettered (${step.reason})`);
        return;
    }
  }
}
