export * from './generation-job.schema';
export * from './generation-jobs.repository';
