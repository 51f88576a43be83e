import type { LoadSheddingConfig } from '@app/config';
import {
  resolveThresholds,
  shedReasonOf,
  shedReasonOfPressureType,
  type LoadSample,
  type LoadThresholds,
  type RuntimeLimits,
} from './load-thresholds';

const GIB = 2 ** 30;

const config: LoadSheddingConfig = {
  enabled: true,
  maxEventLoopDelayMs: 200,
  maxEventLoopUtilization: null,
  maxHeapBytes: 'auto',
  maxRssBytes: 'auto',
  maxInFlight: 1024,
  retryAfterSeconds: 5,
  failsReadiness: false,
};

const inContainer: RuntimeLimits = {
  heapSizeLimit: 2 * GIB,
  constrainedMemory: 512 * 2 ** 20,
  totalMemory: 16 * GIB,
};

describe('resolveThresholds', () => {
  it('auto: 90 % of V8 heap limit and of the container memory limit', () => {
    expect(resolveThresholds(config, inContainer)).toStrictEqual({
      maxEventLoopDelayMs: 200,
      maxEventLoopUtilization: null,
      maxHeapBytes: Math.floor(2 * GIB * 0.9),
      maxRssBytes: Math.floor(512 * 2 ** 20 * 0.9),
      maxInFlight: 1024,
    });
  });

  it.each([
    ['no cgroup limit reported', undefined],
    ['0', 0],
    // What Node reports on a cgroup without a limit.
    ['2^64', 2 ** 64],
    ['a "limit" above the machine memory', 32 * GIB],
  ])('auto RSS is off without a real memory limit: %s', (_case, constrainedMemory) => {
    expect(resolveThresholds(config, { ...inContainer, constrainedMemory }).maxRssBytes).toBeNull();
  });

  it('keeps explicit bytes and off as they are', () => {
    const explicit = resolveThresholds(
      { ...config, maxHeapBytes: 1, maxRssBytes: null, maxInFlight: null },
      inContainer,
    );
    expect(explicit).toMatchObject({ maxHeapBytes: 1, maxRssBytes: null, maxInFlight: null });
  });
});

describe('shedReasonOf', () => {
  const thresholds: LoadThresholds = {
    maxEventLoopDelayMs: 200,
    maxEventLoopUtilization: 0.98,
    maxHeapBytes: 1000,
    maxRssBytes: 2000,
    maxInFlight: 10,
  };
  const calm: LoadSample = {
    eventLoopDelayMs: 3,
    eventLoopUtilization: 0.4,
    heapUsedBytes: 500,
    rssBytes: 1500,
    inFlight: 2,
  };

  it('none below every threshold, nor exactly at one (the plugin sheds strictly above)', () => {
    expect(shedReasonOf(calm, thresholds)).toBeUndefined();
    expect(
      shedReasonOf(
        {
          eventLoopDelayMs: 200,
          eventLoopUtilization: 0.98,
          heapUsedBytes: 1000,
          rssBytes: 2000,
          inFlight: 9,
        },
        thresholds,
      ),
    ).toBeUndefined();
  });

  it.each<[keyof LoadSample, number, string]>([
    ['eventLoopDelayMs', 201, 'event_loop_delay'],
    ['eventLoopUtilization', 0.99, 'event_loop_utilization'],
    ['heapUsedBytes', 1001, 'heap'],
    ['rssBytes', 2001, 'rss'],
    // In flight: the next request would be one too many.
    ['inFlight', 10, 'in_flight'],
  ])('%s = %d: %s', (measure, value, reason) => {
    expect(shedReasonOf({ ...calm, [measure]: value }, thresholds)).toBe(reason);
  });

  it("names the first crossed in the plugin's order: delay, heap, RSS, utilization, then in flight", () => {
    const everything: LoadSample = {
      eventLoopDelayMs: 999,
      eventLoopUtilization: 1,
      heapUsedBytes: 9999,
      rssBytes: 9999,
      inFlight: 99,
    };
    expect(shedReasonOf(everything, thresholds)).toBe('event_loop_delay');
    expect(shedReasonOf({ ...everything, eventLoopDelayMs: 0 }, thresholds)).toBe('heap');
    expect(shedReasonOf({ ...everything, eventLoopDelayMs: 0, heapUsedBytes: 0 }, thresholds)).toBe('rss');
  });

  it('ignores a threshold that is off', () => {
    const off: LoadThresholds = {
      maxEventLoopDelayMs: null,
      maxEventLoopUtilization: null,
      maxHeapBytes: null,
      maxRssBytes: null,
      maxInFlight: null,
    };
    expect(
      shedReasonOf(
        {
          eventLoopDelayMs: 1e6,
          eventLoopUtilization: 1,
          heapUsedBytes: 1e12,
          rssBytes: 1e12,
          inFlight: 1e6,
        },
        off,
      ),
    ).toBeUndefined();
  });
});

describe('shedReasonOfPressureType', () => {
  it("maps @fastify/under-pressure's check names to the metric's reasons", () => {
    expect(
      ['eventLoopDelay', 'eventLoopUtilization', 'heapUsedBytes', 'rssBytes', 'healthCheck'].map(
        shedReasonOfPressureType,
      ),
    ).toEqual(['event_loop_delay', 'event_loop_utilization', 'heap', 'rss', undefined]);
  });
});
