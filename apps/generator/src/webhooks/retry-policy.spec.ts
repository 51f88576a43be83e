import { backoffDelayMs, isRetryable, isSuccess, nextStep, type AttemptResult } from './retry-policy';

const response = (statusCode: number): AttemptResult => ({ kind: 'response', statusCode });
const limits = { maxAttempts: 5, maxAgeMs: 3_600_000, baseMs: 1_000, maxMs: 60_000 };
const start = new Date('2024-05-01T12:00:00Z');

describe('isSuccess / isRetryable', () => {
  it.each([200, 201, 202, 204, 299])('%i is success', (status) => {
    expect(isSuccess(response(status))).toBe(true);
  });

  it.each([500, 502, 503, 504, 599, 408, 429])('%i is retried', (status) => {
    expect(isSuccess(response(status))).toBe(false);
    expect(isRetryable(response(status))).toBe(true);
  });

  it.each([400, 401, 403, 404, 405, 409, 410, 413, 422, 301, 302, 307, 308, 100])(
    '%i is not retried',
    (status) => {
      expect(isSuccess(response(status))).toBe(false);
      expect(isRetryable(response(status))).toBe(false);
    },
  );

  it('retries timeouts and connection errors, not blocked or invalid URLs', () => {
    expect(isRetryable({ kind: 'timeout' })).toBe(true);
    expect(isRetryable({ kind: 'connection_error', code: 'ECONNREFUSED' })).toBe(true);
    expect(isRetryable({ kind: 'blocked', reason: 'x' })).toBe(false);
    expect(isRetryable({ kind: 'invalid_url', reason: 'x' })).toBe(false);
  });
});

describe('backoffDelayMs (full jitter)', () => {
  it('stays within [0, min(max, base·2^(n-1))]', () => {
    for (let failed = 1; failed <= 12; failed++) {
      const ceiling = Math.min(60_000, 1_000 * 2 ** (failed - 1));
      expect(backoffDelayMs(failed, limits, () => 0)).toBe(0);
      expect(backoffDelayMs(failed, limits, () => 0.999_999_999)).toBe(ceiling);
    }
  });

  it('grows exponentially until the cap', () => {
    const top = (n: number) => backoffDelayMs(n, limits, () => 0.999_999_999);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(top)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });

  it('spreads retries: many draws cover the range instead of clustering', () => {
    const draws = Array.from({ length: 2_000 }, () => backoffDelayMs(4, limits));
    expect(Math.min(...draws)).toBeLessThan(800);
    expect(Math.max(...draws)).toBeGreaterThan(7_200);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(3_500);
    expect(mean).toBeLessThan(4_500);
  });

  it('does not overflow for huge attempt numbers', () => {
    expect(backoffDelayMs(10_000, limits, () => 0.999_999_999)).toBe(60_000);
  });
});

describe('nextStep', () => {
  const at = (ms: number) => new Date(start.getTime() + ms);

  it('a 2xx is delivered', () => {
    expect(nextStep(response(204), 1, start, start, limits)).toEqual({ action: 'delivered' });
  });

  it('a retryable failure is retried after the backoff', () => {
    expect(nextStep(response(503), 1, start, start, limits, () => 0.5)).toEqual({
      action: 'retry',
      at: at(500),
    });
    expect(nextStep({ kind: 'timeout' }, 3, start, at(10_000), limits, () => 0.5)).toEqual({
      action: 'retry',
      at: at(12_000),
    });
  });

  it('a 4xx other than 408/429 is dead at once, saying why', () => {
    expect(nextStep(response(404), 1, start, start, limits)).toEqual({
      action: 'dead',
      reason: 'HTTP 404 (not retried)',
    });
  });

  it('is dead after maxAttempts', () => {
    expect(nextStep(response(500), 5, start, start, limits)).toEqual({
      action: 'dead',
      reason: 'HTTP 500 after 5 attempts',
    });
    expect(nextStep(response(500), 4, start, start, limits).action).toBe('retry');
  });

  it('is dead when the next attempt would be past the maximum age', () => {
    const step = nextStep(response(429), 2, start, at(3_599_500), limits, () => 0.999);
    expect(step).toEqual({
      action: 'dead',
      reason: 'HTTP 429; the next attempt would be past the maximum age',
    });
  });
});
