/**
 * Claims through the provider over real sockets, driven by autocannon: `concurrency` keep-alive
 * connections, one request in flight on each, every request a different job (user and brand).
 */
import autocannon from 'autocannon';
import type { ClaimAnswer } from '../../test/support/claim-audit';
import type { ClaimJob, RunMeasurement } from './measurement';

export type ClaimRoute =
  /** POST /v1/brands/{brandId}/claims with the user's JWT: 201 new, 200 held. */
  | { readonly kind: 'v1'; readonly tokens: readonly string[] }
  /** GET /discounts/api/v1.0/get_code/{user}/{secret}/{brand}: 200 for both; each job is a first call. */
  | { readonly kind: 'legacy'; readonly secret: string };

/** Long enough for FerretDB, where 256 claims queue behind one connection. */
const REQUEST_TIMEOUT_S = 120;

interface JobContext {
  job?: number;
}

function requestFor(route: ClaimRoute, job: ClaimJob, index: number): autocannon.Request {
  if (route.kind === 'v1') {
    return {
      method: 'POST',
      path: `/v1/brands/${encodeURIComponent(job.brandId)}/claims`,
      headers: { authorization: `Bearer ${route.tokens[index]}` },
    };
  }
  return {
    method: 'GET',
    path: `/discounts/api/v1.0/get_code/${job.userId}/${route.secret}/${job.brandId}`,
    headers: {},
  };
}

function answerOf(route: ClaimRoute, job: ClaimJob, status: number, body: string): ClaimAnswer {
  const base = { brandId: job.brandId, userId: job.userId };
  try {
    if (route.kind === 'v1') {
      if (status === 201 || status === 200) {
        const { code } = JSON.parse(body) as { code: string };
        return { ...base, outcome: status === 201 ? 'created' : 'held', code };
      }
    } else if (status === 200) {
      // The predecessor's envelope does not tell new from held; every job here is a first call.
      const { data } = JSON.parse(body) as { data: string };
      return { ...base, outcome: 'created', code: data };
    }
  } catch {
    return { ...base, outcome: 'failed' };
  }
  return { ...base, outcome: status === 409 ? 'exhausted' : 'failed' };
}

export function runHttpClaims(
  baseUrl: string,
  jobs: readonly ClaimJob[],
  concurrency: number,
  route: ClaimRoute,
): Promise<RunMeasurement> {
  const answers: ClaimAnswer[] = [];
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let lastResponseAt = 0;

  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: baseUrl,
        connections: concurrency,
        amount: jobs.length,
        timeout: REQUEST_TIMEOUT_S,
        requests: [
          {
            setupRequest: (request, context) => {
              // Connections reopened after an error may ask for more requests than there are jobs.
              const index = next < jobs.length ? next++ : jobs.length - 1;
              (context as JobContext).job = index;
              return { ...request, ...requestFor(route, jobs[index]!, index) };
            },
            onResponse: (status, body, context) => {
              const index = (context as JobContext).job;
              if (index === undefined) return;
              answers[index] = answerOf(route, jobs[index]!, status, body);
              statuses[status] = (statuses[status] ?? 0) + 1;
              if (status >= 500) errors.push(`${status} ${body.slice(0, 200)}`);
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(`autocannon: ${JSON.stringify(error)}`));
          return;
        }
        // autocannon notices the end only on its next sampling tick (every second): the run ended
        // with its last response.
        const durationMs = (lastResponseAt || performance.now()) - started;
        for (let i = 0; i < next; i++) {
          // Sent but never answered (timeout, reset connection): it may still have claimed a code.
          answers[i] ??= { brandId: jobs[i]!.brandId, userId: jobs[i]!.userId, outcome: 'failed' };
        }
        if (result.errors > 0)
          errors.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
        resolve({ durationMs, latenciesMs, answers: answers.filter(Boolean), errors, statuses });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latenciesMs.push(responseTime);
      lastResponseAt = performance.now();
    });
  });
}
