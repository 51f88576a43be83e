/** Request-scale latencies: 5 ms to 10 s (claims and handlers are milliseconds; a slow DB is seconds). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Outgoing calls that may hang until their timeout (webhooks, generation chunks): up to 2 min. */
export const SLOW_CALL_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
