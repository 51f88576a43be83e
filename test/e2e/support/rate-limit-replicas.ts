/**
 * What the e2e specs wait for when replicas keep their limits in step (libs/ratelimit): read from
 * each replica's /metrics, so that a spec waits for the event itself rather than for time.
 */
import { sumOf } from '../../support/prometheus-text';
import { request, type ApiError, type ApiResponse, type LegacyEnvelope } from './http';
import { eventually } from './poll';

export async function metricsText(baseUrl: string): Promise<string> {
  const res = await request(baseUrl, '/metrics', { headers: { accept: 'text/plain' } });
  expect(res.status).toBe(200);
  return res.text;
}

const batches = (text: string, direction: 'sent' | 'received') =>
  sumOf(text, 'discounts_ratelimit_batches_total', { direction });

/**
 * Waits until every replica (the only ones on their NATS) has sent the requests it admitted
 * (nothing unshared) and applied every batch the others sent: from then on they decide alike.
 */
export async function replicasExchanged(baseUrls: readonly string[]): Promise<void> {
  await eventually(
    async () => {
      const texts = await Promise.all(baseUrls.map(metricsText));
      expect(texts.map((text) => sumOf(text, 'discounts_ratelimit_unshared'))).toEqual(texts.map(() => 0));
      const sent = texts.map((text) => batches(text, 'sent'));
      texts.forEach((text, i) => {
        const othersSent = sent.reduce((total, n, j) => (j === i ? total : total + n), 0);
        expect(batches(text, 'received')).toBeGreaterThanOrEqual(othersSent);
      });
    },
    { intervalMs: 50 },
  );
}

/** Lockouts of `policy` a replica has learnt of: recorded or read by it, or through its watch. */
export async function lockoutsLearned(baseUrl: string, policy: string): Promise<number> {
  return sumOf(await metricsText(baseUrl), 'discounts_ratelimit_lockouts_learned_total', { policy });
}

/** A v1 429 with Retry-After (1 … maxRetryAfter s), also in the body. */
export function expectRateLimited(res: ApiResponse<ApiError>, maxRetryAfter: number) {
  expect({ status: res.status, error: res.body.error }).toEqual({ status: 429, error: 'rate_limited' });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
  expect(res.body.details).toEqual({ retryAfterSeconds: retryAfter });
}

/** A 429 in the predecessor's envelope, with Retry-After (1 … maxRetryAfter s). */
export function expectLegacyRateLimited(res: ApiResponse<LegacyEnvelope>, maxRetryAfter: number) {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({
    code: '429',
    data: '',
    message: expect.any(String) as unknown,
    status: 'error',
  });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
}
