import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Injectable,
  Module,
  OnModuleInit,
} from '@nestjs/common';
import { NatsClient } from '@app/messaging';
import { RateLimitMetrics } from '@app/metrics';
import { AuthFailureLockout, lockoutBucketOf } from './auth-failure-lockout';
import { COUNTER_STORE, type BucketSpec } from './counter-store';
import { FallbackCounterStore } from './fallback-counter-store';
import { KnownLockouts } from './known-lockouts';
import { LockoutWatch } from './lockout-watch';
import { MemoryCounterStore } from './memory-counter-store';
import { DEFAULT_BUCKET_MAX_BYTES, NatsKvCounterStore } from './nats-kv-counter-store';
import { RATE_LIMIT_OPTIONS, type RateLimitOptions } from './rate-limit-options';
import { RateLedger } from './rate-ledger';
import { RateLimiter } from './rate-limiter';
import { SpendExchange } from './spend-exchange';

/** Compare-and-set rounds on one key before the request is refused as part of a burst. */
const MAX_CAS_ATTEMPTS = 20;
export const DEFAULT_SYNC_INTERVAL_MS = 100;

/** Starts the replicas' exchanges with the app and ends them (last batch sent) before NATS closes. */
@Injectable()
class RateLimitSync implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    private readonly exchange: SpendExchange,
    private readonly watch: LockoutWatch,
  ) {}

  onModuleInit(): void {
    this.exchange.start();
    this.watch.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.watch.stop();
    await this.exchange.stop();
  }
}

/** Global so that guards on any controller, and the auth guards, find the limiters. */
@Global()
@Module({})
export class RateLimitModule {
  static forRoot(options: RateLimitOptions): DynamicModule {
    const lockoutBuckets = new Map<string, BucketSpec>();
    for (const [name, policy] of Object.entries(options.lockouts)) {
      if (policy) lockoutBuckets.set(name, lockoutBucketOf(options.namespace, name, policy));
    }
    return {
      module: RateLimitModule,
      providers: [
        { provide: RATE_LIMIT_OPTIONS, useValue: options },
        {
          provide: NatsKvCounterStore,
          inject: [NatsClient],
          useFactory: (nats: NatsClient) =>
            new NatsKvCounterStore(() => nats.current(), {
              timeoutMs: options.store.timeoutMs,
              maxAttempts: MAX_CAS_ATTEMPTS,
              maxBytes: options.store.maxBytes,
            }),
        },
        {
          provide: COUNTER_STORE,
          inject: [NatsKvCounterStore],
          useFactory: (shared: NatsKvCounterStore) =>
            new FallbackCounterStore(shared, new MemoryCounterStore(), {
              retryAfterMs: options.store.retryAfterMs,
            }),
        },
        { provide: RateLedger, useFactory: () => new RateLedger(options.rates) },
        {
          provide: KnownLockouts,
          inject: [RateLimitMetrics],
          useFactory: (metrics: RateLimitMetrics) => {
            metrics.declareLockoutPolicies([...lockoutBuckets.keys()]);
            return new KnownLockouts(undefined, undefined, (policy) => metrics.lockoutLearned(policy));
          },
        },
        RateLimitMetrics,
        {
          provide: SpendExchange,
          inject: [NatsClient, RateLedger, RateLimitMetrics],
          useFactory: (nats: NatsClient, ledger: RateLedger, metrics: RateLimitMetrics) => {
            const exchange = new SpendExchange(nats, ledger, {
              namespace: options.namespace,
              syncIntervalMs: options.store.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS,
              timeoutMs: options.store.timeoutMs,
              maxBytes: options.store.maxBytes ?? DEFAULT_BUCKET_MAX_BYTES,
              observer: metrics,
            });
            metrics.countUnsharedWith(() => exchange.unshared);
            return exchange;
          },
        },
        {
          provide: LockoutWatch,
          inject: [NatsClient, NatsKvCounterStore, KnownLockouts],
          useFactory: (nats: NatsClient, store: NatsKvCounterStore, known: KnownLockouts) =>
            new LockoutWatch(
              {
                current: () => nats.current(),
                whenConnected: () => nats.whenConnected(),
                onConnected: (listener) => nats.onConnected(listener),
              },
              store,
              known,
              lockoutBuckets,
            ),
        },
        RateLimitSync,
        RateLimiter,
        AuthFailureLockout,
      ],
      exports: [RATE_LIMIT_OPTIONS, COUNTER_STORE, RateLimiter, AuthFailureLockout],
    };
  }
}
