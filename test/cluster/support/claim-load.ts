/**
 * A flash sale's clients, on the node, through the gateway: v1 claims of one brand at a steady
 * rate, each by a user of its own. Open loop: a slow answer does not slow the sending (up to
 * maxInFlight requests at once; a send that would exceed it is counted as skipped), so a stalled
 * pod shows as latency and failures instead of hiding in a slower rate. Every request is kept,
 * with when it started and ended on this process's clock (now()), so that a spec can cut the run
 * at the moments it marks (an upgrade began, a pod was killed) and audit the claims afterwards.
 */
import { performance } from 'node:perf_hooks';
import type { AnswerOutcome, ClaimAnswer } from '../../support/claim-audit';
import { gateway } from './cluster';
import { userToken, type Release } from './flows';

export interface ClaimRecord {
  readonly userId: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The HTTP status, or 0 when no answer came (reset, refused, timed out). */
  readonly status: number;
  readonly outcome: AnswerOutcome;
  readonly code?: string;
  readonly error?: string;
}

export interface ClaimLoadOptions {
  readonly perSecond: number;
  /** Prefix of the users' ids: each request's user is `${users}-${n}`. */
  readonly users: string;
  readonly maxInFlight?: number;
  readonly timeoutMs?: number;
}

const OUTCOMES: Record<number, AnswerOutcome> = { 201: 'created', 200: 'held', 409: 'exhausted' };

/**
 * Loads still sending when a test ends, stopped after it: a step that throws must not leave one
 * calling the release (with its tokens, it would lock the node's address out of the next run).
 */
const sending = new Set<ClaimLoad>();
afterEach(async () => {
  for (const load of sending) await load.stop();
});

export class ClaimLoad {
  private readonly records: ClaimRecord[] = [];
  private readonly pending = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private sent = 0;
  private skipped = 0;

  constructor(
    private readonly target: Release,
    private readonly brandId: string,
    private readonly opts: ClaimLoadOptions,
  ) {}

  now(): number {
    return performance.now();
  }

  start(): this {
    sending.add(this);
    const begin = this.now();
    const every = 1_000 / this.opts.perSecond;
    // Sends what is due on each tick, so timer drift on a busy machine does not lower the rate.
    this.timer = setInterval(
      () => {
        const due = Math.floor((this.now() - begin) / every) - this.sent - this.skipped;
        for (let i = 0; i < due; i++) {
          if (this.pending.size >= (this.opts.maxInFlight ?? 64)) this.skipped++;
          else this.send(`${this.opts.users}-${this.sent++}`);
        }
      },
      Math.max(5, Math.floor(every / 2)),
    );
    return this;
  }

  /** Lets the load run for `ms` (the length of a stretch of the scenario, not a wait for an event). */
  runFor(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Stops sending and resolves once every request sent has been answered or has failed. */
  async stop(): Promise<ClaimRecord[]> {
    clearInterval(this.timer);
    sending.delete(this);
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    return this.records;
  }

  /** One more claim by `userId` (a retry of a failed one, say), kept like the others. */
  async claim(userId: string): Promise<void> {
    const started = this.now();
    await userToken(userId, this.target.jwtSecret)
      .then((token) =>
        gateway<{ code?: string }>(
          `/v1/brands/${this.brandId}/claims`,
          { method: 'POST', token, timeoutMs: this.opts.timeoutMs ?? 30_000 },
          this.target.host,
        ),
      )
      .then(
        (res) =>
          this.records.push({
            userId,
            startedAt: started,
            endedAt: this.now(),
            status: res.status,
            outcome: OUTCOMES[res.status] ?? 'failed',
            code: res.body?.code,
            ...(OUTCOMES[res.status] ? {} : { error: res.text.slice(0, 200) }),
          }),
        (error: unknown) =>
          this.records.push({
            userId,
            startedAt: started,
            endedAt: this.now(),
            status: 0,
            outcome: 'failed',
            error: error instanceof Error ? error.message : String(error),
          }),
      );
  }

  get skippedSends(): number {
    return this.skipped;
  }

  /** The answers as the claim audit reads them. */
  answers(): ClaimAnswer[] {
    return this.records.map((r) => ({
      brandId: this.brandId,
      userId: r.userId,
      outcome: r.outcome,
      code: r.code,
    }));
  }

  private send(userId: string): void {
    const request = this.claim(userId).finally(() => this.pending.delete(request));
    this.pending.add(request);
  }
}

export interface WindowFigures {
  readonly requests: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Figures of the requests that started within [from, to). */
export function windowFigures(records: readonly ClaimRecord[], from: number, to: number): WindowFigures {
  const inside = records.filter((r) => r.startedAt >= from && r.startedAt < to);
  const latencies = inside.map((r) => r.endedAt - r.startedAt).sort((a, b) => a - b);
  const at = (q: number) =>
    latencies.length === 0
      ? 0
      : latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
  return {
    requests: inside.length,
    failed: inside.filter((r) => r.outcome === 'failed').length,
    perSecond: inside.length / Math.max(0.001, (to - from) / 1_000),
    p50Ms: Math.round(at(0.5)),
    p99Ms: Math.round(at(0.99)),
    maxMs: Math.round(latencies.at(-1) ?? 0),
  };
}

/** Requests in flight at moment `t`: started before it, answered after it. */
export function inFlightAt(records: readonly ClaimRecord[], t: number): number {
  return records.filter((r) => r.startedAt <= t && r.endedAt > t).length;
}

/** A table of windowFigures, one row per named window, for the specs' output. */
export function figuresTable(rows: ReadonlyArray<[name: string, figures: WindowFigures]>): string {
  const head = 'window                 requests  failed  claims/s    p50 ms    p99 ms    max ms';
  return [
    head,
    ...rows.map(
      ([name, f]) =>
        `${name.padEnd(22)} ${String(f.requests).padStart(8)} ${String(f.failed).padStart(7)} ${f.perSecond.toFixed(1).padStart(9)} ${String(f.p50Ms).padStart(9)} ${String(f.p99Ms).padStart(9)} ${String(f.maxMs).padStart(9)}`,
    ),
  ].join('\n');
}
