/**
 * The tracing preload runs before any app code and outside Nest, so it leaves its flush here for
 * the graceful shutdown to find.
 */
const FLUSH = Symbol.for('discounts.telemetry.flush');

type Holder = { [FLUSH]?: () => Promise<void> };

export function setTelemetryFlush(flush: () => Promise<void>): void {
  (globalThis as Holder)[FLUSH] = flush;
}

/** Flushes and stops tracing when the preload started it; resolves at once otherwise. */
export async function flushTelemetry(): Promise<void> {
  await (globalThis as Holder)[FLUSH]?.();
}
