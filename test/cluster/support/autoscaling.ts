/**
 * What the autoscaling spec measures with: claims from many users through the gateway, counted
 * per interval, and a timeline of a HorizontalPodAutoscaler's status (replicas, CPU) beside them.
 */
import type { ClaimAnswer } from '../../support/claim-audit';
import { gateway, kubectlJson, podsOf } from './cluster';
import { userToken, type Release } from './flows';

/**
 * `concurrency` loops, each claiming a code of `brandId` for a new user after another, until
 * stopped. Every answer is kept for the claim audit; anything but 201, or 409 once the codes have
 * run out, is a failure.
 */
export function claimLoad(target: Release, brandId: string, concurrency: number) {
  const answers: ClaimAnswer[] = [];
  const failures: string[] = [];
  let running = true;
  let created = 0;
  const path = `/v1/brands/${brandId}/claims`;
  const loop = async (n: number) => {
    for (let i = 0; running; i++) {
      const userId = `u-autoscale-${n}-${i}`;
      try {
        const token = await userToken(userId, target.jwtSecret);
        const res = await gateway<{ code?: string }>(
          path,
          { method: 'POST', token, timeoutMs: 15_000 },
          target.host,
        );
        if (res.status === 201) {
          created++;
          answers.push({ brandId, userId, outcome: 'created', code: res.body.code });
        } else if (res.status === 409) {
          answers.push({ brandId, userId, outcome: 'exhausted' });
        } else {
          answers.push({ brandId, userId, outcome: 'failed' });
          failures.push(`${res.status} ${res.text.slice(0, 200)}`);
        }
      } catch (error) {
        answers.push({ brandId, userId, outcome: 'failed' });
        failures.push(String(error));
      }
    }
  };
  const loops = Array.from({ length: concurrency }, (_, n) => loop(n));
  return {
    /** New claims answered so far. */
    created: () => created,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { answers, failures };
    },
  };
}

interface HpaStatus {
  status: {
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: Array<{ resource?: { name: string; current: { averageUtilization?: number } } }>;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

/** One reading of the HPA and the pods it scales. */
export interface HpaReading {
  current: number;
  desired: number;
  /** Average CPU utilisation (% of requests) the HPA last computed; undefined before metrics come. */
  cpu?: number;
  /** Pods of the target that are Ready and not terminating; `pods` counts all not terminating. */
  ready: number;
  pods: number;
  conditions: string;
}

export async function readHpa(namespace: string, name: string, podSelector: string): Promise<HpaReading> {
  const [hpa, pods] = await Promise.all([
    kubectlJson<HpaStatus>(['get', 'hpa', '-n', namespace, name]),
    podsOf(namespace, podSelector),
  ]);
  const cpu = hpa.status.currentMetrics?.find((m) => m.resource?.name === 'cpu');
  return {
    current: hpa.status.currentReplicas ?? 0,
    desired: hpa.status.desiredReplicas ?? 0,
    cpu: cpu?.resource?.current.averageUtilization,
    ready: pods.filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .length,
    pods: pods.length,
    conditions: (hpa.status.conditions ?? [])
      .map((c) => `${c.type}=${c.status} (${c.reason ?? ''}: ${c.message ?? ''})`)
      .join('; '),
  };
}

export interface TimelineRow extends HpaReading {
  /** Seconds since the timeline started. */
  t: number;
  phase: string;
  /** New claims per second since the previous row. */
  claimsPerSecond: number;
}

/**
 * Reads the HPA every `everyMs` until stopped, with the claims/s `created()` advanced by since the
 * previous reading. `phase()` labels each row (load, after load).
 */
export function hpaTimeline(
  read: () => Promise<HpaReading>,
  created: () => number,
  phase: () => string,
  everyMs = 5_000,
) {
  const rows: TimelineRow[] = [];
  const started = Date.now();
  let running = true;
  let wake: () => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  const sampling = (async () => {
    let lastAt = started;
    let lastCreated = created();
    while (running) {
      const reading = await read().catch(() => undefined);
      const now = Date.now();
      if (reading) {
        const count = created();
        rows.push({
          t: Math.round((now - started) / 1000),
          phase: phase(),
          ...reading,
          claimsPerSecond: Math.round(((count - lastCreated) * 1000) / Math.max(1, now - lastAt)),
        });
        lastAt = now;
        lastCreated = count;
      }
      // A sampling period, not a wait for an event: stop() cuts it short.
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, everyMs);
      });
    }
  })();
  return {
    rows,
    latest: () => rows.at(-1),
    stop: async () => {
      running = false;
      clearTimeout(timer);
      wake();
      await sampling;
      return rows;
    },
  };
}

/** The timeline as a fixed-width table for the test log. */
export function formatTimeline(rows: readonly TimelineRow[]): string {
  const header = '   t  phase        current  desired  ready  cpu%  claims/s';
  const lines = rows.map(
    (r) =>
      `${String(r.t).padStart(4)}  ${r.phase.padEnd(11)}  ${String(r.current).padStart(7)}  ${String(
        r.desired,
      ).padStart(7)}  ${String(r.ready).padStart(5)}  ${String(r.cpu ?? '-').padStart(4)}  ${String(
        r.claimsPerSecond,
      ).padStart(8)}`,
  );
  return [header, ...lines].join('\n');
}
