/**
 * An open-loop load generator: requests leave on a fixed schedule whatever the answers, as a
 * crowd's do (a closed loop, like autocannon's connections, slows down with the server and so
 * can never overload it). Each request has its own socket when none is free, and a deadline.
 */
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';

export interface OpenLoopRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
}

export interface OpenLoopAnswer {
  /** null: no answer (see error). */
  readonly status: number | null;
  readonly body: string;
  /** From when the request was due (not when it left), so a late generator cannot hide a wait. */
  readonly latencyMs: number;
  /** 'timeout', or the socket error's code (ECONNREFUSED, ECONNRESET, …). */
  readonly error?: string;
}

export interface OpenLoopOptions {
  readonly baseUrl: string;
  readonly ratePerSecond: number;
  readonly count: number;
  /** A request not answered within this has timed out: the client gave up. */
  readonly timeoutMs: number;
  readonly requestFor: (index: number) => OpenLoopRequest;
}

/** How often the schedule is caught up with; requests due meanwhile leave together. */
const TICK_MS = 2;

/** Sends `count` requests at `ratePerSecond`; resolves every answer, in request order. */
export function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopAnswer[]> {
  const { baseUrl, ratePerSecond, count, timeoutMs, requestFor } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const answers: OpenLoopAnswer[] = new Array<OpenLoopAnswer>(count);
  let sent = 0;
  let answered = 0;

  return new Promise((resolve) => {
    const started = performance.now();
    const finish = (index: number, answer: OpenLoopAnswer) => {
      if (answers[index]) return;
      answers[index] = answer;
      if (++answered === count) {
        agent.destroy();
        resolve(answers);
      }
    };
    const send = (index: number) => {
      const dueAt = started + (index * 1000) / ratePerSecond;
      const spec = requestFor(index);
      const req = request(new URL(spec.path, baseUrl), {
        method: spec.method,
        headers: { ...spec.headers, 'content-length': '0' },
        agent,
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          finish(index, { status: res.statusCode ?? null, body, latencyMs: performance.now() - dueAt }),
        );
        res.on('error', (error: NodeJS.ErrnoException) =>
          finish(index, {
            status: null,
            body,
            latencyMs: performance.now() - dueAt,
            error: error.code ?? error.message,
          }),
        );
      });
      req.on('error', (error: NodeJS.ErrnoException) =>
        finish(index, {
          status: null,
          body: '',
          latencyMs: performance.now() - dueAt,
          error: error.code ?? error.message,
        }),
      );
      req.end();
    };
    const timer = setInterval(() => {
      const due = Math.min(count, Math.floor(((performance.now() - started) * ratePerSecond) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent === count) clearInterval(timer);
    }, TICK_MS);
  });
}
