export { errorMessage } from './error-message';
export { nextWaitMs, PeriodicTask, type PeriodicTaskOptions } from './periodic-task';
