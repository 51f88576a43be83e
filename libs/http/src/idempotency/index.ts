export * from './idempotency-key';
export * from './idempotency.interceptor';
export * from './idempotency.module';
export * from './idempotency-sweeper';
export * from './idempotent.decorator';
