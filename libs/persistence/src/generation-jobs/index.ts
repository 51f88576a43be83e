export * from './generation-job.schema';
export * from './generation-job-end-events.repository';
export * from './generation-job-listing.repository';
export * from './generation-jobs.repository';
export type { JobRecord } from './job-record';
