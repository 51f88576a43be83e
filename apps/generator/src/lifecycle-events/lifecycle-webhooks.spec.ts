import { randomUUID } from 'node:crypto';
import {
  codeRedeemedWebhookV1Schema,
  codeRedemptionRolledBackWebhookV1Schema,
  jobCompletedWebhookV1Schema,
  jobEventId,
  jobFailedWebhookV1Schema,
  newRedemptionId,
} from '@app/contracts';
import type { CodeRedemption, JobRecord, PendingCodeEvent } from '@app/persistence';
import { codeEventBody, jobEndBody, UNKNOWN_JOB_ERROR } from './lifecycle-webhooks';

const redemption: CodeRedemption = {
  id: newRedemptionId('7U7I845L'),
  orderId: '#1001',
  userId: 'alice',
  amount: 49.9,
  metadata: { channel: 'web' },
  redeemedAt: new Date('2024-05-01T12:00:00Z'),
};
const code = { brandId: 'acme', code: '7U7I845L', claimedBy: 'alice' };
const redeemed: PendingCodeEvent = { eventId: randomUUID(), type: 'code.redeemed', redemption };
const rolledBack: PendingCodeEvent = {
  eventId: randomUUID(),
  type: 'code.redemption_rolled_back',
  redemption: { ...redemption, rolledBackAt: new Date('2024-05-02T08:00:00Z') },
};

describe('codeEventBody', () => {
  it('maps a redemption to a code.redeemed body of the default campaign, under the stored event id', () => {
    const body = codeEventBody(code, redeemed);
    expect(body).toStrictEqual({
      eventId: redeemed.eventId,
      type: 'code.redeemed',
      version: 1,
      brandId: 'acme',
      campaignId: 'default',
      code: '7U7I845L',
      userId: 'alice',
      redemptionId: redemption.id,
      orderId: '#1001',
      amount: 49.9,
      metadata: { channel: 'web' },
      redeemedAt: '2024-05-01T12:00:00.000Z',
    });
    expect(codeRedeemedWebhookV1Schema.parse(body)).toStrictEqual(body);
  });

  it('maps a rollback with its time, in the code’s campaign', () => {
    const body = codeEventBody({ ...code, campaignId: 'summer' }, rolledBack);
    expect(body).toMatchObject({
      type: 'code.redemption_rolled_back',
      campaignId: 'summer',
      rolledBackAt: '2024-05-02T08:00:00.000Z',
      redeemedAt: '2024-05-01T12:00:00.000Z',
    });
    expect(codeRedemptionRolledBackWebhookV1Schema.safeParse(body).success).toBe(true);
  });

  it('names the holder even when the redemption named no user, and leaves out what it did not give', () => {
    const bare = { id: redemption.id, orderId: 'o-1', redeemedAt: redemption.redeemedAt };
    const body = codeEventBody(code, { ...redeemed, redemption: bare });
    expect(body?.userId).toBe('alice');
    expect(body).not.toHaveProperty('amount');
    expect(body).not.toHaveProperty('metadata');
    expect(codeRedeemedWebhookV1Schema.safeParse(body).success).toBe(true);
  });

  it('is null for a code without a holder', () => {
    expect(codeEventBody({ brandId: 'acme', code: 'X' }, redeemed)).toBeNull();
  });
});

describe('jobEndBody', () => {
  const job: JobRecord = {
    id: randomUUID(),
    brandId: 'acme',
    requested: 1_000,
    generated: 1_000,
    status: 'completed',
    format: { length: 8, prefix: '', alphabet: 'ABC' },
    spaceKey: 'k',
    expiresAt: null,
    chunkSize: 500,
    chunkCount: 2,
    doneChunks: [0, 1],
    createdAt: new Date('2024-05-01T12:00:00Z'),
    startedAt: new Date('2024-05-01T12:00:01Z'),
    finishedAt: new Date('2024-05-01T12:00:30Z'),
    progressAt: new Date('2024-05-01T12:00:30Z'),
    error: null,
  };

  it('maps a completed job to job.completed under its derived event id', () => {
    const body = jobEndBody(job);
    expect(body).toStrictEqual({
      eventId: jobEventId(job.id, 'job.completed'),
      type: 'job.completed',
      version: 1,
      brandId: 'acme',
      campaignId: 'default',
      jobId: job.id,
      requested: 1_000,
      generated: 1_000,
      createdAt: '2024-05-01T12:00:00.000Z',
      finishedAt: '2024-05-01T12:00:30.000Z',
    });
    expect(jobCompletedWebhookV1Schema.parse(body)).toStrictEqual(body);
  });

  it('maps a failed job to job.failed with its error (or a stand-in when none was recorded)', () => {
    const failed = { ...job, status: 'failed' as const, generated: 500, error: 'saturated' };
    expect(jobEndBody(failed)).toMatchObject({
      eventId: jobEventId(job.id, 'job.failed'),
      type: 'job.failed',
      generated: 500,
      error: 'saturated',
    });
    expect(jobFailedWebhookV1Schema.safeParse(jobEndBody(failed)).success).toBe(true);
    expect(jobEndBody({ ...failed, error: null })).toMatchObject({ error: UNKNOWN_JOB_ERROR });
    expect(jobEndBody({ ...failed, campaignId: 'summer' })).toMatchObject({ campaignId: 'summer' });
  });

  it.each(['queued', 'running', 'cancelled'] as const)('is null for a %s job', (status) => {
    expect(jobEndBody({ ...job, status })).toBeNull();
  });
});
