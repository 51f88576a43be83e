import type { Command } from 'commander';
import type { Job } from '../api/types';
import type { CommandContext } from '../context';
import { JobNotCompletedError } from '../errors';
import { formatRecord } from '../output';
import { intAtLeast } from './requests';
import { watchJob } from './watch-job';

type ContextOf = (command: Command) => CommandContext;

export const DEFAULT_POLL_MS = 500;

/** Job fields a person wants first; --json prints the whole job. */
export const jobSummary = (job: Job): Record<string, unknown> => ({
  jobId: job.jobId,
  brandId: job.brandId,
  status: job.status,
  generated: `${job.generated}/${job.requested}`,
  chunks: `${job.chunksDone}/${job.chunkCount}`,
  ratePerSecond: job.ratePerSecond,
  error: job.error,
});

/** Follows the job with a bar; the finished job is the result, and anything but completed fails. */
export async function followJob(ctx: CommandContext, job: Job, intervalMs: number): Promise<void> {
  const finished = await watchJob(
    ctx.generator(),
    job,
    ctx.progress({ unit: 'codes', label: `job ${job.jobId.slice(0, 8)}` }),
    { intervalMs, signal: ctx.io.signal },
  );
  ctx.output.result(finished, () => formatRecord(jobSummary(finished)));
  if (finished.status !== 'completed') {
    throw new JobNotCompletedError(finished.jobId, finished.status, finished.error);
  }
}

export function registerJobs(program: Command, contextOf: ContextOf): void {
  const jobs = program.command('jobs').description('follow and cancel generation jobs');

  jobs
    .command('get')
    .description('show a job’s progress once')
    .argument('<jobId>')
    .action(async (jobId: string, _opts: unknown, command: Command) => {
      const ctx = contextOf(command);
      const job = await ctx.generator().getJob(jobId);
      ctx.output.result(job, () => formatRecord(jobSummary(job)));
    });

  jobs
    .command('cancel')
    .description('cancel a job; codes already stored stay (409 invalid_state once finished)')
    .argument('<jobId>')
    .action(async (jobId: string, _opts: unknown, command: Command) => {
      const ctx = contextOf(command);
      const job = await ctx.generator().cancelJob(jobId);
      ctx.output.result(job, () => formatRecord(jobSummary(job)));
    });

  jobs
    .command('watch')
    .description('follow a job with a progress bar until it finishes (exit 5 unless it completed)')
    .argument('<jobId>')
    .option('--interval <ms>', 'poll every this many milliseconds', intAtLeast(50), DEFAULT_POLL_MS)
    .action(async (jobId: string, opts: { interval: number }, command: Command) => {
      const ctx = contextOf(command);
      await followJob(ctx, await ctx.generator().getJob(jobId), opts.interval);
    });
}
