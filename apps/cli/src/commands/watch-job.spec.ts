import type { Job } from '../api/types';
import { ConnectionError, EXIT } from '../errors';
import type { ProgressReporter } from '../progress/reporter';
import { watchJob } from './watch-job';

const job = (generated: number, status: Job['status'] = 'running'): Job => ({
  jobId: 'job-1',
  brandId: 'acme',
  status,
  requested: 300,
  generated,
  chunkSize: 100,
  chunkCount: 3,
  chunksDone: generated / 100,
  format: { length: 8, prefix: '', alphabet: 'ABCDEFGHJK' },
  expiresAt: null,
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: null,
  ratePerSecond: 50,
  error: null,
});

function recorder() {
  const frames: Array<[number, number | null, number | undefined]> = [];
  let finished = 0;
  const reporter: ProgressReporter = {
    update: (done, total, rate) => frames.push([done, total, rate]),
    finish: () => finished++,
  };
  return { frames, reporter, finished: () => finished };
}

describe('watchJob', () => {
  it('polls until the job finishes, drawing each answer with the job’s own rate', async () => {
    const answers: Array<Job | Error> = [
      job(100),
      new ConnectionError('cannot reach the generator'),
      job(200),
      job(300, 'completed'),
    ];
    const { frames, reporter, finished } = recorder();
    const api = {
      getJob: () => {
        const next = answers.shift()!;
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
    };
    const done = await watchJob(api, job(0, 'queued'), reporter, {
      intervalMs: 1,
      signal: new AbortController().signal,
    });
    expect(done.status).toBe('completed');
    expect(frames.map(([generated]) => generated)).toEqual([0, 100, 100, 200, 300]);
    expect(frames.every(([, total, rate]) => total === 300 && rate === 50)).toBe(true);
    expect(finished()).toBe(1);
  });

  it('gives up after too many lost answers in a row', async () => {
    const api = { getJob: () => Promise.reject(new ConnectionError('cannot reach the generator')) };
    await expect(
      watchJob(api, job(0), recorder().reporter, {
        intervalMs: 1,
        signal: new AbortController().signal,
        connectionRetries: 2,
      }),
    ).rejects.toThrow('cannot reach the generator');
  });

  it('stops on Ctrl-C, saying how to resume, and leaves the job alone', async () => {
    const interrupt = new AbortController();
    const { reporter, finished } = recorder();
    const api = {
      getJob: () => {
        interrupt.abort();
        return Promise.resolve(job(100));
      },
    };
    const watching = watchJob(api, job(0), reporter, { intervalMs: 1, signal: interrupt.signal });
    await expect(watching).rejects.toMatchObject({
      exitCode: EXIT.interrupted,
      message: 'stopped watching; job job-1 goes on (discounts jobs watch job-1)',
    });
    expect(finished()).toBe(1);
  });
});
