import { DynamicModule, Global, Module } from '@nestjs/common';
import { NatsClient } from '@app/messaging';
import { AuthFailureLockout } from './auth-failure-lockout';
import { COUNTER_STORE } from './counter-store';
import { FallbackCounterStore } from './fallback-counter-store';
import { MemoryCounterStore } from './memory-counter-store';
import { NatsKvCounterStore } from './nats-kv-counter-store';
import { RATE_LIMIT_OPTIONS, type RateLimitOptions } from './rate-limit-options';
import { RateLimiter } from './rate-limiter';

/** Compare-and-set rounds on one key before the request is refused as part of a burst. */
const MAX_CAS_ATTEMPTS = 20;

/** Global so that guards on any controller, and the auth guards, find the limiters. */
@Global()
@Module({})
export class RateLimitModule {
  static forRoot(options: RateLimitOptions): DynamicModule {
    return {
      module: RateLimitModule,
      providers: [
        { provide: RATE_LIMIT_OPTIONS, useValue: options },
        {
          provide: COUNTER_STORE,
          inject: [NatsClient],
          useFactory: (nats: NatsClient) =>
            new FallbackCounterStore(
              new NatsKvCounterStore(() => nats.current(), {
                timeoutMs: options.store.timeoutMs,
                maxAttempts: MAX_CAS_ATTEMPTS,
                maxBytes: options.store.maxBytes,
              }),
              new MemoryCounterStore(),
              { retryAfterMs: options.store.retryAfterMs },
            ),
        },
        RateLimiter,
        AuthFailureLockout,
      ],
      exports: [RATE_LIMIT_OPTIONS, COUNTER_STORE, RateLimiter, AuthFailureLockout],
    };
  }
}
