/**
 * Monitoring the in-cluster run as a user would: Debian's Prometheus on the node
 * (tools/cluster/prometheus.sh) finds the pods by Kubernetes service discovery, scrapes them, loads
 * the alert rules, and the Grafana dashboards' queries return series from what the earlier specs
 * sent through the gateway.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../support/stack';
import { dashboardQueries, requireBinary } from '../support/monitoring';
import { installation, REPO_ROOT, waitFor } from './support/cluster';

const { namespace } = installation();
let prometheus: ChildProcess | undefined;
let exited: Promise<unknown> | undefined;
let log = '';
let url = '';

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function promGet<T>(path: string): Promise<T> {
  const res = await fetch(url + path, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
  return body.data;
}
const query = (expr: string) =>
  promGet<{ result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);

beforeAll(async () => {
  requireBinary('prometheus');
  const listen = `127.0.0.1:${await freePort()}`;
  url = `http://${listen}`;
  prometheus = spawn(
    'bash',
    [join(REPO_ROOT, 'tools/cluster/prometheus.sh'), '--listen', listen, '--namespace', namespace],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-20_000));
  prometheus.stdout?.on('data', keep);
  prometheus.stderr?.on('data', keep);
  exited = new Promise((resolve) => prometheus!.once('exit', resolve));
  await waitFor('Prometheus ready', 30_000, async () =>
    (await fetch(`${url}/-/ready`)).ok ? true : undefined,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${log}`);
  });
}, 60_000);

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    prometheus.kill('SIGTERM');
    await exited;
  }
});

it('discovers the generator and provider pods and scrapes them all', async () => {
  const up = await waitFor('every app pod scraped', 60_000, async () => {
    const data = await query('up{job=~"generator|provider"}');
    const healthy = data.result.filter((s) => s.value[1] === '1');
    return healthy.length === 4 ? data.result : undefined;
  });
  expect(up.map((s) => s.metric.job).sort()).toEqual(['generator', 'generator', 'provider', 'provider']);
  for (const sample of up) expect(sample.metric.namespace).toBe(namespace);
}, 90_000);

it('a Grafana dashboard query returns series from the in-cluster run', async () => {
  const overview = dashboardQueries({
    namespace,
    job: 'generator|provider',
    instance: '.*',
    rateInterval: '1m',
  }).filter((q) => q.where.startsWith('service-overview.json'));
  expect(overview.length).toBeGreaterThan(2);
  const withSeries = await waitFor('dashboard series', 60_000, async () => {
    const counts = await Promise.all(overview.map(async (q) => (await query(q.expr)).result.length));
    return counts.filter((n) => n > 0).length >= 2 ? counts : undefined;
  });
  console.log(
    `service-overview panels with series: ${withSeries.filter((n) => n > 0).length} of ${overview.length}`,
  );
  const claims = await query('sum by (route, outcome) (discounts_claims_total{job="provider"})');
  const outcomes = Object.fromEntries(
    claims.result.map((s) => [`${s.metric.route}/${s.metric.outcome}`, Number(s.value[1])]),
  );
  expect(outcomes['v1/new']).toBeGreaterThan(0);
  expect(outcomes['legacy/new']).toBeGreaterThan(0);
}, 90_000);

it('loads the alert rules healthy', async () => {
  const data = await promGet<{ groups: Array<{ rules: Array<{ name: string; health: string }> }> }>(
    '/api/v1/rules',
  );
  const rules = data.groups.flatMap((g) => g.rules);
  expect(rules.length).toBeGreaterThan(3);
  await waitFor('rules evaluated', 30_000, async () => {
    const fresh = await promGet<{ groups: Array<{ rules: Array<{ health: string }> }> }>('/api/v1/rules');
    return fresh.groups.flatMap((g) => g.rules).every((r) => r.health === 'ok') ? true : undefined;
  });
});
