import { Logger } from '@nestjs/common';
import { CounterContentionError, type BucketSpec, type CounterStore, type Step } from './counter-store';
import { errorMessage } from '@app/scheduling';

export interface FallbackOptions {
  /** After a failure, how long to count locally before trying the shared store again. */
  readonly retryAfterMs: number;
  readonly clock?: () => number;
}

/**
 * The shared store, or this process's memory while the shared store is unreachable. Limits then
 * hold per replica (at most replicas × limit in total) instead of failing every request or none:
 * a NATS outage neither takes the API down nor switches abuse protection off. The outage costs at
 * most one request timeout per retryAfterMs, not one per request.
 */
export class FallbackCounterStore implements CounterStore {
  private readonly logger = new Logger('RateLimits');
  private readonly clock: () => number;
  private downUntil = 0;
  private down = false;

  constructor(
    private readonly shared: CounterStore,
    private readonly local: CounterStore,
    private readonly options: FallbackOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** True while counting locally. */
  get degraded(): boolean {
    return this.down;
  }

  async apply<S, R>(bucket: BucketSpec, key: string, step: Step<S, R>): Promise<R> {
    if (this.down && this.clock() < this.downUntil) return this.local.apply(bucket, key, step);
    try {
      const result = await this.shared.apply(bucket, key, step);
      if (this.down) {
        this.down = false;
        this.logger.warn('Rate-limit store reachable again: limits are shared across replicas');
      }
      return result;
    } catch (error) {
      if (error instanceof CounterContentionError) throw error;
      if (!this.down) {
        this.logger.warn(
          `Rate-limit store unavailable (${errorMessage(error)}): ` +
            'counting in this process until it is back',
        );
      }
      this.down = true;
      this.downUntil = this.clock() + this.options.retryAfterMs;
      return this.local.apply(bucket, key, step);
    }
  }
}
