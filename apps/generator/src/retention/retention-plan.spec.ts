import { cutoffBefore, retentionCutoffs } from './retention-plan';

const DAY_MS = 86_400_000;
const now = new Date('2025-06-30T12:00:00.000Z');

describe('cutoffBefore', () => {
  it('is now minus the retention', () => {
    expect(cutoffBefore(now, 30 * DAY_MS)).toEqual(new Date('2025-05-31T12:00:00.000Z'));
    expect(cutoffBefore(now, DAY_MS)).toEqual(new Date('2025-06-29T12:00:00.000Z'));
  });

  it('is null when the records are kept (off)', () => {
    expect(cutoffBefore(now, null)).toBeNull();
  });
});

describe('retentionCutoffs', () => {
  it('gives each kind its own cutoff, null for the kinds kept', () => {
    expect(
      retentionCutoffs(now, {
        expiredCodesMs: null,
        webhookDeliveriesMs: 30 * DAY_MS,
        generationJobsMs: 7 * DAY_MS,
      }),
    ).toEqual({
      expiredCodes: null,
      webhookDeliveries: new Date('2025-05-31T12:00:00.000Z'),
      generationJobs: new Date('2025-06-23T12:00:00.000Z'),
    });
  });
});
