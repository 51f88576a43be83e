import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Retries `check` (an async assertion) until it passes; rethrows its last failure after timeoutMs.
 * For eventually consistent state, such as counters fed by NATS events.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  { timeoutMs = 15_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(intervalMs);
    }
  }
}
