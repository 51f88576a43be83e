import type { LoadSheddingConfig } from '@app/config';
import type { ShedReason } from '@app/metrics';

/** The process's limits that the `auto` thresholds derive from, read once at start-up. */
export interface RuntimeLimits {
  /** V8's heap_size_limit. */
  readonly heapSizeLimit: number;
  /** process.constrainedMemory(): the cgroup's memory limit; 0, or 2^64, or more than RAM: none. */
  readonly constrainedMemory: number | undefined;
  readonly totalMemory: number;
}

export interface LoadThresholds {
  readonly maxEventLoopDelayMs: number | null;
  readonly maxEventLoopUtilization: number | null;
  readonly maxHeapBytes: number | null;
  readonly maxRssBytes: number | null;
  readonly maxInFlight: number | null;
}

/** What the measurements are, in the units of the thresholds. */
export interface LoadSample {
  readonly eventLoopDelayMs: number;
  readonly eventLoopUtilization: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
  readonly inFlight: number;
}

/**
 * The share of a limit where `auto` starts shedding: near V8's heap limit garbage collection runs
 * back to back (the loop stalls, then the process dies of "heap out of memory"); at the cgroup's
 * limit the kernel kills the container. The last 10 % is room for the requests already admitted.
 */
export const AUTO_LIMIT_SHARE = 0.9;

/** The concrete thresholds: `auto` resolved against the process's limits, `off` as null. */
export function resolveThresholds(config: LoadSheddingConfig, runtime: RuntimeLimits): LoadThresholds {
  const { constrainedMemory, totalMemory } = runtime;
  const memoryLimit =
    constrainedMemory !== undefined && constrainedMemory > 0 && constrainedMemory < totalMemory
      ? constrainedMemory
      : undefined;
  const auto = (limit: number | undefined) =>
    limit === undefined ? null : Math.floor(limit * AUTO_LIMIT_SHARE);
  return {
    maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    maxEventLoopUtilization: config.maxEventLoopUtilization,
    maxHeapBytes: config.maxHeapBytes === 'auto' ? auto(runtime.heapSizeLimit) : config.maxHeapBytes,
    maxRssBytes: config.maxRssBytes === 'auto' ? auto(memoryLimit) : config.maxRssBytes,
    maxInFlight: config.maxInFlight,
  };
}

/**
 * The threshold `sample` is past, if any: @fastify/under-pressure's checks in its own order (each
 * strictly above), then the in-flight cap, which the next request would exceed.
 */
export function shedReasonOf(sample: LoadSample, thresholds: LoadThresholds): ShedReason | undefined {
  const above = (value: number, max: number | null) => max !== null && value > max;
  if (above(sample.eventLoopDelayMs, thresholds.maxEventLoopDelayMs)) return 'event_loop_delay';
  if (above(sample.heapUsedBytes, thresholds.maxHeapBytes)) return 'heap';
  if (above(sample.rssBytes, thresholds.maxRssBytes)) return 'rss';
  if (above(sample.eventLoopUtilization, thresholds.maxEventLoopUtilization)) return 'event_loop_utilization';
  if (thresholds.maxInFlight !== null && sample.inFlight >= thresholds.maxInFlight) return 'in_flight';
  return undefined;
}

/** @fastify/under-pressure's names of its checks, as metric labels. */
const PRESSURE_TYPES: Readonly<Record<string, ShedReason>> = {
  eventLoopDelay: 'event_loop_delay',
  eventLoopUtilization: 'event_loop_utilization',
  heapUsedBytes: 'heap',
  rssBytes: 'rss',
};

export function shedReasonOfPressureType(type: string): ShedReason | undefined {
  return PRESSURE_TYPES[type];
}
