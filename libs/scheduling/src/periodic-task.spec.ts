import { nextWaitMs, PeriodicTask } from './periodic-task';

describe('nextWaitMs', () => {
  it('is the interval after a quick run, ± the jitter', () => {
    expect(nextWaitMs(1_000, 10, 4, 0.1, 0.5)).toBe(1_000);
    expect(nextWaitMs(1_000, 10, 4, 0.1, 0)).toBe(900);
    expect(nextWaitMs(1_000, 10, 4, 0.1, 1)).toBe(1_100);
  });

  it('stretches after a slow run to backoff × its duration', () => {
    expect(nextWaitMs(1_000, 3_000, 4, 0, 0.5)).toBe(12_000);
    expect(nextWaitMs(1_000, 200, 4, 0, 0.5)).toBe(1_000);
  });
});

describe('PeriodicTask', () => {
  /** A run that ends when the test says so. */
  function controlledRuns() {
    const ends: Array<() => void> = [];
    let started = 0;
    const run = () => {
      started++;
      return new Promise<void>((resolve) => ends.push(resolve));
    };
    return { run, started: () => started, endNext: () => ends.shift()!() };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'performance'] }));
  afterEach(() => jest.useRealTimers());

  it('runs at start, then after each interval, never two at once', async () => {
    const runs = controlledRuns();
    const task = new PeriodicTask({ name: 't', intervalMs: 1_000, jitter: 0 }, runs.run);
    task.start();
    expect(runs.started()).toBe(1);
    jest.advanceTimersByTime(5_000);
    expect(runs.started()).toBe(1);
    runs.endNext();
    await settle();
    jest.advanceTimersByTime(999);
    expect(runs.started()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(runs.started()).toBe(2);
    runs.endNext();
    await task.stop();
  });

  it('asked to run while running: once more right after, however often it was asked', async () => {
    const runs = controlledRuns();
    const task = new PeriodicTask({ name: 't', intervalMs: 60_000 }, runs.run);
    task.start();
    task.runSoon();
    task.runSoon();
    runs.endNext();
    await settle();
    expect(runs.started()).toBe(2);
    runs.endNext();
    await settle();
    expect(runs.started()).toBe(2);
    await task.stop();
  });

  it('a failed run is logged and the schedule goes on', async () => {
    let calls = 0;
    const task = new PeriodicTask({ name: 't', intervalMs: 1_000, jitter: 0 }, () => {
      calls++;
      return Promise.reject(new Error('boom'));
    });
    const warn = jest.spyOn(task['logger'], 'warn').mockImplementation(() => undefined);
    task.start();
    await settle();
    expect(warn).toHaveBeenCalledWith('t failed: boom');
    jest.advanceTimersByTime(1_000);
    expect(calls).toBe(2);
    await task.stop();
  });

  it('stop() waits for the run in progress, and nothing runs after it', async () => {
    const runs = controlledRuns();
    const task = new PeriodicTask({ name: 't', intervalMs: 1_000, jitter: 0 }, runs.run);
    task.start();
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    runs.endNext();
    await stopping;
    task.runSoon();
    jest.advanceTimersByTime(10_000);
    expect(runs.started()).toBe(1);
  });

  it('does nothing before start()', () => {
    const runs = controlledRuns();
    new PeriodicTask({ name: 't', intervalMs: 1_000 }, runs.run).runSoon();
    expect(runs.started()).toBe(0);
  });
});
