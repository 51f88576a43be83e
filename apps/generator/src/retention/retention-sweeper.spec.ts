import { Logger } from '@nestjs/common';
import type {
  CodeExpiryRepository,
  GenerationJobsRepository,
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
} from '@app/persistence';
import type { RetentionConfig } from '../generator.config';
import { RetentionSweeper } from './retention-sweeper';

const DAY_MS = 86_400_000;
const now = new Date('2025-06-30T00:00:00.000Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY_MS);

/** Repositories that record the calls made to them, in order; nothing is left to sweep. */
function fakes() {
  const calls: string[] = [];
  const codes = {
    markExpired: jest.fn((at: Date) => (calls.push(`mark ${at.toISOString()}`), Promise.resolve(0))),
    deleteExpired: jest.fn(
      (before: Date) => (calls.push(`codes ${before.toISOString()}`), Promise.resolve(0)),
    ),
  };
  const deliveries = {
    findFinishedBefore: jest.fn(() => (calls.push('find deliveries'), Promise.resolve(['d1', 'd2']))),
    deleteFinished: jest.fn(() => (calls.push('delete deliveries'), Promise.resolve(2))),
  };
  const attempts = { deleteOfDeliveries: jest.fn(() => (calls.push('delete attempts'), Promise.resolve(5))) };
  const jobs = { deleteFinishedBefore: jest.fn(() => (calls.push('jobs'), Promise.resolve(0))) };
  const sweeper = (config: RetentionConfig) =>
    new RetentionSweeper(
      config,
      codes as unknown as CodeExpiryRepository,
      deliveries as unknown as WebhookDeliveriesRepository,
      attempts as unknown as WebhookAttemptsRepository,
      jobs as unknown as GenerationJobsRepository,
    );
  return { calls, codes, deliveries, attempts, jobs, sweeper };
}

describe('RetentionSweeper.sweep', () => {
  // Its summary line is not what these tests look at.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('marks expired codes first, then deletes each kind before its own cutoff, attempts before deliveries', async () => {
    const f = fakes();
    const report = await f
      .sweeper({
        expiredCodesMs: 90 * DAY_MS,
        webhookDeliveriesMs: 30 * DAY_MS,
        generationJobsMs: 7 * DAY_MS,
      })
      .sweep(now);
    expect(f.calls).toEqual([
      `mark ${now.toISOString()}`,
      `codes ${daysAgo(90).toISOString()}`,
      'find deliveries',
      'delete attempts',
      'delete deliveries',
      'jobs',
    ]);
    expect(f.attempts.deleteOfDeliveries).toHaveBeenCalledWith(['d1', 'd2'], daysAgo(30));
    expect(f.deliveries.deleteFinished).toHaveBeenCalledWith(['d1', 'd2'], daysAgo(30));
    expect(f.jobs.deleteFinishedBefore).toHaveBeenCalledWith(daysAgo(7), 1_000);
    expect(report).toEqual({
      codesMarkedExpired: 0,
      expiredCodesDeleted: 0,
      deliveriesDeleted: 2,
      attemptsDeleted: 5,
      jobsDeleted: 0,
    });
  });

  it('only marks expired codes when every retention is off', async () => {
    const f = fakes();
    await f.sweeper({ expiredCodesMs: null, webhookDeliveriesMs: null, generationJobsMs: null }).sweep(now);
    expect(f.calls).toEqual([`mark ${now.toISOString()}`]);
  });

  it('after shutdown began, starts no further batch', async () => {
    const f = fakes();
    const sweeper = f.sweeper({
      expiredCodesMs: null,
      webhookDeliveriesMs: 30 * DAY_MS,
      generationJobsMs: null,
    });
    await sweeper.beforeApplicationShutdown();
    await sweeper.sweep(now);
    expect(f.calls).toEqual([]);
  });
});
