import { Logger } from '@nestjs/common';
import { errorMessage } from './error-message';

export interface PeriodicTaskOptions {
  /** Names the task in the log line of a failed run. */
  readonly name: string;
  readonly intervalMs: number;
  /** Each wait is intervalMs ± this fraction, so that replicas started together drift apart. */
  readonly jitter?: number;
  /**
   * A run is followed by a wait of at least this many times its own duration. Runs that got slow
   * (a busy database, a large backlog) then take a bounded share of what they wait on, 1/(1+n),
   * instead of running back to back and slowing the requests that share it further.
   */
  readonly slowRunBackoff?: number;
  /** How a failed run is logged: `warn`, or `debug` for tasks whose failures say nothing new. */
  readonly failureLevel?: 'warn' | 'debug';
}

const DEFAULT_JITTER = 0.1;
const DEFAULT_SLOW_RUN_BACKOFF = 4;

/**
 * Background work on an interval, the one way the apps schedule it: never two runs at once (asked
 * for while running, it runs once more right after), the next wait counted from the end of a run
 * and stretched after slow ones, timers that never keep the process alive, and a stop() that waits
 * for the run in progress. Owners call start() once bootstrapped and stop() on
 * BeforeApplicationShutdown, before the connections the runs use are closed.
 */
export class PeriodicTask {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly options: PeriodicTaskOptions,
    private readonly run: () => Promise<void>,
  ) {
    this.logger = new Logger(options.name);
  }

  /** Runs at once, then on the interval. */
  start(): void {
    this.stopped = false;
    this.runSoon();
  }

  /** Runs now, or right after the run in progress; the interval then starts again from its end. */
  runSoon(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    const started = performance.now();
    this.running = this.run()
      .catch((error: unknown) => {
        const message = `${this.options.name} failed: ${errorMessage(error)}`;
        if (this.options.failureLevel === 'debug') this.logger.debug(message);
        else this.logger.warn(message);
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.runSoon();
        } else this.schedule(performance.now() - started);
      });
  }

  /** No more runs; resolves once the run in progress (if any) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(lastRunMs: number): void {
    if (this.stopped) return;
    const { intervalMs, jitter = DEFAULT_JITTER, slowRunBackoff = DEFAULT_SLOW_RUN_BACKOFF } = this.options;
    const wait = nextWaitMs(intervalMs, lastRunMs, slowRunBackoff, jitter, Math.random());
    this.timer = setTimeout(() => this.runSoon(), wait);
    this.timer.unref();
  }
}

/** The wait before the next run: the interval, or backoff × the last run if longer, ± jitter. */
export function nextWaitMs(
  intervalMs: number,
  lastRunMs: number,
  slowRunBackoff: number,
  jitter: number,
  random: number,
): number {
  const base = Math.max(intervalMs, lastRunMs * slowRunBackoff);
  return Math.round(base * (1 + jitter * (2 * random - 1)));
}
