import { z } from 'zod';
import { ConfigValidationError, parseEnv, type Env } from './env-parsing';
import { loadSheddingEnv } from './load-shedding-config';

const schema = z.object(loadSheddingEnv.variables);
const read = (env: Env) => loadSheddingEnv.read(parseEnv(schema, env));

function problemsOf(env: Env): string[] {
  try {
    parseEnv(schema, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadSheddingEnv', () => {
  it('defaults: on, 200 ms of event-loop delay, memory from the limits, 1024 in flight, report only', () => {
    expect(read({})).toStrictEqual({
      enabled: true,
      maxEventLoopDelayMs: 200,
      maxEventLoopUtilization: null,
      maxHeapBytes: 'auto',
      maxRssBytes: 'auto',
      maxInFlight: 1024,
      retryAfterSeconds: 5,
      failsReadiness: false,
    });
  });

  it('reads every variable', () => {
    expect(
      read({
        LOAD_SHED_ENABLED: 'false',
        LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '50',
        LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0.95',
        LOAD_SHED_MAX_HEAP_BYTES: '1',
        LOAD_SHED_MAX_RSS_BYTES: '483183820',
        LOAD_SHED_MAX_IN_FLIGHT: '8',
        LOAD_SHED_RETRY_AFTER_SECONDS: '1',
        LOAD_SHED_FAILS_READINESS: 'true',
      }),
    ).toStrictEqual({
      enabled: false,
      maxEventLoopDelayMs: 50,
      maxEventLoopUtilization: 0.95,
      maxHeapBytes: 1,
      maxRssBytes: 483_183_820,
      maxInFlight: 8,
      retryAfterSeconds: 1,
      failsReadiness: true,
    });
  });

  it('turns each threshold off with "off", and takes "auto" for the memory ones', () => {
    expect(
      read({
        LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: 'off',
        LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: 'off',
        LOAD_SHED_MAX_HEAP_BYTES: 'off',
        LOAD_SHED_MAX_RSS_BYTES: 'auto',
        LOAD_SHED_MAX_IN_FLIGHT: 'off',
      }),
    ).toMatchObject({
      maxEventLoopDelayMs: null,
      maxEventLoopUtilization: null,
      maxHeapBytes: null,
      maxRssBytes: 'auto',
      maxInFlight: null,
    });
    expect(read({ LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '1' }).maxEventLoopUtilization).toBe(1);
  });

  it.each([
    ['LOAD_SHED_ENABLED', 'maybe'],
    ['LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS', '0'],
    ['LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS', '60001'],
    ['LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS', 'auto'],
    ['LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS', '1e3'],
    // Below half busy a loop is far from saturated: shedding there would refuse a healthy load.
    ['LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION', '0.3'],
    ['LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION', '1.5'],
    ['LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION', '98%'],
    ['LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION', '.9'],
    ['LOAD_SHED_MAX_HEAP_BYTES', '0'],
    ['LOAD_SHED_MAX_HEAP_BYTES', '512Mi'],
    ['LOAD_SHED_MAX_RSS_BYTES', '-1'],
    ['LOAD_SHED_MAX_IN_FLIGHT', '0'],
    ['LOAD_SHED_MAX_IN_FLIGHT', 'auto'],
    ['LOAD_SHED_RETRY_AFTER_SECONDS', '0'],
    ['LOAD_SHED_RETRY_AFTER_SECONDS', '3601'],
    ['LOAD_SHED_FAILS_READINESS', 'on'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(problemsOf({ [name]: value }).map((problem) => problem.split(':')[0])).toEqual([name]);
  });

  it('says what a memory threshold may be', () => {
    expect(problemsOf({ LOAD_SHED_MAX_RSS_BYTES: '1G' })).toEqual([
      'LOAD_SHED_MAX_RSS_BYTES: expected auto, off or a whole number of bytes',
    ]);
  });
});
