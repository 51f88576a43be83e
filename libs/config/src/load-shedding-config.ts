import { z } from 'zod';
import { envBoolean, envInt } from './env-parsing';
import { env, envSection } from './env-section';

/** `off` (read as null) or what `schema` reads; `expected` describes the latter in the error. */
const offOr = <T extends z.ZodType>(schema: T, expected: string) =>
  z.union([z.literal('off').transform(() => null), schema], { message: `expected off or ${expected}` });

/** A memory threshold: `auto` (derived at start-up from the process's limits), `off` or bytes. */
const envBytesAutoOrOff = () =>
  z.union([z.literal('auto'), z.literal('off').transform(() => null), envInt(1, 2 ** 50)], {
    message: 'expected auto, off or a whole number of bytes',
  });

/** A fraction of the event loop's time, 0.5 to 1 (below that a loop is far from saturated). */
const envUtilization = () =>
  z
    .string()
    .regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, { message: 'expected a fraction such as 0.98' })
    .transform(Number)
    .pipe(z.number().min(0.5, { message: 'expected a fraction from 0.5 to 1' }).max(1));

/**
 * Load shedding (libs/http load-shedding.ts): past any of these thresholds a request is refused
 * with 503 and Retry-After before any work is done for it. Health, readiness and metrics are
 * never refused.
 */
export const loadSheddingEnv = envSection({
  /** false: nothing is refused and nothing is measured (an escape hatch, not a tuning knob). */
  enabled: env('LOAD_SHED_ENABLED', envBoolean(true)),
  /**
   * Mean event-loop delay over the last second, beyond the 10 ms the monitor's own timer waits.
   * 200 ms means the loop is saturated: every request already waits that long before it starts.
   */
  maxEventLoopDelayMs: env(
    'LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS',
    offOr(envInt(1, 60_000), 'a whole number of milliseconds from 1 to 60000').prefault('200'),
  ),
  /** Share of the last second the loop was busy. Off by default: a busy loop may still be quick. */
  maxEventLoopUtilization: env(
    'LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION',
    offOr(envUtilization(), 'a fraction from 0.5 to 1').prefault('off'),
  ),
  /** V8 heap in use. auto: 90 % of V8's heap limit, where garbage collection starts to thrash. */
  maxHeapBytes: env('LOAD_SHED_MAX_HEAP_BYTES', envBytesAutoOrOff().prefault('auto')),
  /** Resident memory. auto: 90 % of the container's memory limit (cgroup); off without a limit. */
  maxRssBytes: env('LOAD_SHED_MAX_RSS_BYTES', envBytesAutoOrOff().prefault('auto')),
  /**
   * Requests being served at once by this process: each counts until it is answered and its
   * handler has returned, even when its client went away first (its work still runs). The event
   * loop stays idle while requests wait for a slow database, so only this notices that queue; by
   * Little's law the wait it allows is about this many ÷ the throughput. The default only bounds
   * memory: tune it per deployment.
   */
  maxInFlight: env(
    'LOAD_SHED_MAX_IN_FLIGHT',
    offOr(envInt(1, 1_000_000), 'a whole number from 1 to 1000000').prefault('1024'),
  ),
  retryAfterSeconds: env('LOAD_SHED_RETRY_AFTER_SECONDS', envInt(1, 3_600).default(5)),
  /** Whether /health/ready fails while shedding (it always reports it): see HealthController. */
  failsReadiness: env('LOAD_SHED_FAILS_READINESS', envBoolean(false)),
});

export type LoadSheddingConfig = ReturnType<(typeof loadSheddingEnv)['read']>;
