import {
  DEFAULT_CAMPAIGN_ID,
  jobEventId,
  type CodeRedeemedWebhookV1,
  type CodeRedemptionRolledBackWebhookV1,
  type JobCompletedWebhookV1,
  type JobFailedWebhookV1,
} from '@app/contracts';
import type { CodeWithPendingEvents, JobRecord, PendingCodeEvent } from '@app/persistence';

/** What the webhook body of a job whose error was never recorded says about it. */
export const UNKNOWN_JOB_ERROR = 'the job failed without a recorded reason';

const iso = (at: Date | string): string => new Date(at).toISOString();

/**
 * The webhook body of a code's pending lifecycle event, mapped field by field from what the
 * transition stored; null for a code without a holder (a redeemed code always has one: such a
 * code was changed by hand, and its event has nobody to name).
 */
export function codeEventBody(
  code: Pick<CodeWithPendingEvents, 'brandId' | 'campaignId' | 'code' | 'claimedBy'>,
  event: PendingCodeEvent,
): CodeRedeemedWebhookV1 | CodeRedemptionRolledBackWebhookV1 | null {
  if (!code.claimedBy) return null;
  const { redemption } = event;
  const common = {
    eventId: event.eventId,
    version: 1 as const,
    brandId: code.brandId,
    campaignId: code.campaignId ?? DEFAULT_CAMPAIGN_ID,
    code: code.code,
    userId: code.claimedBy,
    redemptionId: redemption.id,
    orderId: redemption.orderId,
    ...(redemption.amount !== undefined && redemption.amount !== null ? { amount: redemption.amount } : {}),
    ...(redemption.metadata ? { metadata: { ...redemption.metadata } } : {}),
    redeemedAt: iso(redemption.redeemedAt),
  };
  switch (event.type) {
    case 'code.redeemed':
      return { ...common, type: 'code.redeemed' };
    case 'code.redemption_rolled_back':
      // A rollback stores its time with the redemption; the write time stands in were it missing.
      return {
        ...common,
        type: 'code.redemption_rolled_back',
        rolledBackAt: iso(redemption.rolledBackAt ?? redemption.redeemedAt),
      };
  }
}

/** The webhook body of a finished job's end; null for a job that is not completed or failed. */
export function jobEndBody(job: JobRecord): JobCompletedWebhookV1 | JobFailedWebhookV1 | null {
  if (job.status !== 'completed' && job.status !== 'failed') return null;
  const common = {
    eventId: jobEventId(job.id, `job.${job.status}`),
    version: 1 as const,
    brandId: job.brandId,
    campaignId: job.campaignId ?? DEFAULT_CAMPAIGN_ID,
    jobId: job.id,
    requested: job.requested,
    generated: job.generated,
    createdAt: iso(job.createdAt),
    finishedAt: iso(job.finishedAt ?? job.progressAt),
  };
  return job.status === 'completed'
    ? { ...common, type: 'job.completed' }
    : { ...common, type: 'job.failed', error: (job.error || UNKNOWN_JOB_ERROR).slice(0, 1_000) };
}
