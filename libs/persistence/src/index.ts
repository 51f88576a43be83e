export * from './brands';
export * from './codes';
export * from './dev-server';
export { WeakDurabilityError } from './durability';
export * from './generation-jobs';
export { isDatabaseUnavailableError, isDuplicateKeyError, type UnorderedInsertResult } from './mongo-errors';
export * from './persistence.module';
export * from './users';
export * from './webhook-deliveries';
