import { Module } from '@nestjs/common';
import { IdempotencySweeper } from './idempotency-sweeper';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Idempotent writes for an app whose create routes carry Idempotent(): the interceptor those
 * routes use and the sweep of expired keys. Needs PersistenceModule with `idempotencyKeys`.
 */
@Module({ providers: [IdempotencyInterceptor, IdempotencySweeper], exports: [IdempotencyInterceptor] })
export class IdempotencyModule {}
