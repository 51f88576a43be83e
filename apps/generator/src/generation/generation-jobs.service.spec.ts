import { Logger } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import type { WorkQueue } from '@app/messaging';
import type { BrandsRepository, GenerationJobsRepository, JobRecord, NewJob } from '@app/persistence';
import type { GenerationConfig, JobsConfig } from '../generator.config';
import type { BrandQuotas } from '../quotas/brand-quotas';
import type { CodeGenerationService } from './code-generation.service';
import { GenerationJobsService } from './generation-jobs.service';

const mongoDown = () => new Error('MongoNetworkError: connection refused');

/**
 * The service over fakes that record what is done to the job and the code space; `recorded` is
 * the recorded job's check, `withdraw` the repository's withdraw.
 */
function serviceWith(fakes: {
  recorded: () => Promise<void>;
  withdraw: () => Promise<boolean>;
  stop?: () => Promise<void>;
}) {
  const calls: string[] = [];
  let created: JobRecord | undefined;
  const jobs = {
    create: (job: NewJob) => {
      created = { ...job, generated: 0, status: 'queued' } as unknown as JobRecord;
      return Promise.resolve(created);
    },
    withdraw: (id: string) => (calls.push(`withdraw ${id}`), fakes.withdraw()),
    stop: async (id: string, status: string, _at: Date, error?: string) => {
      calls.push(`stop ${id} ${status}: ${error}`);
      await fakes.stop?.();
      return { ...created, status } as JobRecord;
    },
  };
  const brands = {
    releaseCodeSpace: (_brandId: string, spaceKey: string, count: number) => {
      calls.push(`release ${spaceKey} ${count}`);
      return Promise.resolve();
    },
  };
  const generation = {
    checkRequest: () => ({ length: 8, prefix: '', alphabet: 'ABCDEFGH' }),
    reserveFor: () => Promise.resolve('space-1'),
  };
  const quotas = { assertJobSlot: () => Promise.resolve(), assertRecordedJob: fakes.recorded };
  const queue = { publish: () => (calls.push('publish'), Promise.resolve()) };
  const service = new GenerationJobsService(
    { inlineMaxCount: 10 } as GenerationConfig,
    { chunkSize: 100 } as JobsConfig,
    generation as unknown as CodeGenerationService,
    jobs as unknown as GenerationJobsRepository,
    brands as unknown as BrandsRepository,
    queue as unknown as WorkQueue,
    quotas as unknown as BrandQuotas,
  );
  const submit = () => service.submit('b', { count: 250 });
  return { calls, submit, jobId: () => created?.id };
}

describe('GenerationJobsService.submit, a recorded job that does not pass its quota check', () => {
  // Their warnings are not what these tests look at.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('is withdrawn and its reservation given back; the refusal reaches the caller', async () => {
    const refusal = new DomainError('too_many_jobs', 'two at once');
    const s = serviceWith({ recorded: () => Promise.reject(refusal), withdraw: () => Promise.resolve(true) });
    await expect(s.submit()).rejects.toBe(refusal);
    expect(s.calls).toEqual([`withdraw ${s.jobId()}`, 'release space-1 250']);
  });

  it('is stopped as failed when the withdraw fails too, never left queued; the check’s error reaches the caller', async () => {
    const checkError = mongoDown();
    const s = serviceWith({
      recorded: () => Promise.reject(checkError),
      withdraw: () => Promise.reject(mongoDown()),
    });
    await expect(s.submit()).rejects.toBe(checkError);
    expect(s.calls).toEqual([
      `withdraw ${s.jobId()}`,
      `stop ${s.jobId()} failed: its quota check could not be completed`,
      'release space-1 250',
    ]);
  });

  it('still answers with the check’s error when it can be neither withdrawn nor stopped', async () => {
    const checkError = mongoDown();
    const s = serviceWith({
      recorded: () => Promise.reject(checkError),
      withdraw: () => Promise.reject(mongoDown()),
      stop: () => Promise.reject(mongoDown()),
    });
    await expect(s.submit()).rejects.toBe(checkError);
    expect(s.calls).not.toContain('publish');
  });

  it('is queued when it passes', async () => {
    const s = serviceWith({ recorded: () => Promise.resolve(), withdraw: () => Promise.resolve(true) });
    await s.submit();
    expect(s.calls).toEqual(['publish', 'publish', 'publish']);
  });
});
