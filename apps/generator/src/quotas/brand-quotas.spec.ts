import type { CodeInventoryRepository, GenerationJobsRepository, JobRecord } from '@app/persistence';
import type { QuotasConfig } from '../generator.config';
import { BrandQuotas } from './brand-quotas';

/** A job as the repository reports it: only what the quotas read matters. */
const job = (id: string, requested: number, generated = 0) =>
  ({ id, brandId: 'b', requested, generated }) as JobRecord;

function quotasWith(settings: Partial<QuotasConfig>, stored: number, unfinished: JobRecord[]) {
  const calls: string[] = [];
  const inventory = {
    countStored: () => {
      calls.push('countStored');
      return Promise.resolve(stored);
    },
  } as unknown as CodeInventoryRepository;
  const jobs = {
    findUnfinishedOf: () => {
      calls.push('findUnfinishedOf');
      return Promise.resolve(unfinished);
    },
    countUnfinishedOf: () => Promise.resolve(unfinished.length),
  } as unknown as GenerationJobsRepository;
  const quotas = new BrandQuotas(
    { maxCodes: 1_000, maxConcurrentJobs: 2, maxConcurrentExports: 2, ...settings },
    inventory,
    jobs,
  );
  return { quotas, calls };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code,
  );

describe('BrandQuotas', () => {
  it('counts what unfinished jobs have still to store, read before the stored codes', async () => {
    const { quotas, calls } = quotasWith({}, 600, [job('j1', 500, 200)]);
    // 600 stored + 300 to come: 100 fit.
    expect(await codeOf(quotas.assertCodesFit('b', 100))).toBe('ok');
    expect(await codeOf(quotas.assertCodesFit('b', 101))).toBe('quota_exceeded');
    expect(calls.slice(0, 2)).toEqual(['findUnfinishedOf', 'countStored']);
    expect(await quotas.codesRoom('b')).toEqual({
      limit: 1_000,
      usage: { stored: 600, pending: 300 },
      remaining: 100,
    });
  });

  it('counts nothing when the stored-codes quota is off', async () => {
    const { quotas, calls } = quotasWith({ maxCodes: null }, 10 ** 9, []);
    expect(await codeOf(quotas.assertCodesFit('b', 10 ** 7))).toBe('ok');
    expect(await quotas.codesRoom('b')).toBeNull();
    expect(calls).toEqual([]);
  });

  it('refuses a new job when the brand already runs its limit', async () => {
    expect(await codeOf(quotasWith({}, 0, [job('a', 1)]).quotas.assertJobSlot('b'))).toBe('ok');
    expect(await codeOf(quotasWith({}, 0, [job('a', 1), job('b', 1)]).quotas.assertJobSlot('b'))).toBe(
      'too_many_jobs',
    );
  });

  it('checks a recorded job against the others only, for both quotas', async () => {
    const mine = job('mine', 300);
    // Itself plus one other: within two at once; 400 stored + 200 to come + 300 = 900.
    const within = quotasWith({}, 400, [job('other', 300, 100), mine]).quotas;
    expect(await codeOf(within.assertRecordedJob(mine))).toBe('ok');
    // Two others recorded beside it: over, whoever was first.
    const crowded = quotasWith({}, 0, [job('x', 1), job('y', 1), mine]).quotas;
    expect(await codeOf(crowded.assertRecordedJob(mine))).toBe('too_many_jobs');
    // 501 stored + 200 to come + 300 > 1000.
    const full = quotasWith({}, 501, [job('other', 300, 100), mine]).quotas;
    expect(await codeOf(full.assertRecordedJob(mine))).toBe('quota_exceeded');
  });
});
