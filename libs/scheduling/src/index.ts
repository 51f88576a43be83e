export { BatchWriter, type BatchWriterOptions } from './batch-writer';
export { drainInBatches, type BatchLimits } from './drain-in-batches';
export { errorMessage } from './error-message';
export { nextWaitMs, PeriodicTask, type PeriodicTaskOptions } from './periodic-task';
export { PromiseCache, type PromiseCacheOptions } from './promise-cache';
export { withTimeout } from './with-timeout';
