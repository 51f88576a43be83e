import { setTimeout as sleep } from 'node:timers/promises';
import type { GeneratorApi } from '../api/generator-api';
import { isFinished, type Job } from '../api/types';
import { CliError, ConnectionError, EXIT } from '../errors';
import type { ProgressReporter } from '../progress/reporter';

export interface WatchOptions {
  intervalMs: number;
  signal: AbortSignal;
  /** Lost answers in a row tolerated (a generator restarting) before giving up. */
  connectionRetries?: number;
}

/**
 * Polls the job until it is completed, failed or cancelled, drawing generated/requested with the
 * job's own rate (codes per second since its first chunk started: steadier than the chunk-sized
 * steps between two polls). Resolves the finished job; Ctrl-C stops watching, not the job.
 */
export async function watchJob(
  api: Pick<GeneratorApi, 'getJob'>,
  first: Job,
  reporter: ProgressReporter,
  opts: WatchOptions,
): Promise<Job> {
  let job = first;
  let lost = 0;
  try {
    for (;;) {
      reporter.update(job.generated, job.requested, job.ratePerSecond);
      if (isFinished(job)) return job;
      try {
        await sleep(opts.intervalMs, undefined, { signal: opts.signal });
      } catch {
        throw new CliError(
          `stopped watching; job ${job.jobId} goes on (discounts jobs watch ${job.jobId})`,
          EXIT.interrupted,
        );
      }
      try {
        job = await api.getJob(job.jobId);
        lost = 0;
      } catch (error) {
        if (!(error instanceof ConnectionError) || ++lost > (opts.connectionRetries ?? 3)) throw error;
      }
    }
  } finally {
    reporter.finish();
  }
}
