/**
 * Monitoring the way most users run it: the Prometheus Operator (built from its Go module at the
 * pinned version, tools/cluster/build.sh) runs a Prometheus built from its module at the version
 * the operator's go.mod names (Debian's lacks Kubernetes service discovery), and a release of the
 * chart with its ServiceMonitor and PrometheusRule on
 * (test/cluster/fixtures/prometheus-operator-values.yaml, alerts' `for` shortened to 10 s). The
 * operator must turn them into a running Prometheus that scrapes both apps and loads the rules;
 * a nearly empty pool and an unreachable instance must fire their alerts; the Grafana dashboards'
 * queries must return series from this Prometheus. Reconcile and firing times are printed.
 */
import { dashboardQueries, rules } from '../support/monitoring';
import { driveDashboardFlows } from './support/dashboard-flows';
import { gateway, kubectl, kubectlJson, scratchNamespace, waitFor } from './support/cluster';
import { createBrand, userToken, type Release } from './support/flows';
import { installRelease } from './support/release';
import {
  clusterScopedNames,
  deleteCrds,
  deployOperator,
  deployPrometheus,
  generatedConfig,
  importImages,
  type Images,
  installCrds,
  PROMETHEUS_NAME,
  PrometheusApi,
} from './support/prometheus-operator';

const MONITORING = 'discounts-operator';
const NAMESPACE = 'discounts-monitored';
const RELEASE = 'monitored';
const HOST = 'monitoring.local';
const GENERATOR = `${RELEASE}-discounts-generator`;
const POOL_BRAND = 'pool-alert';
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

let target: Release;
let images: Images;
let crds: string[] = [];
let prometheus: PrometheusApi;

scratchNamespace(MONITORING);
scratchNamespace(NAMESPACE);

beforeAll(async () => {
  images = await importImages();
  crds = await installCrds();
  await deployOperator(MONITORING, [MONITORING, NAMESPACE], images);

  target = await installRelease({
    namespace: NAMESPACE,
    release: RELEASE,
    host: HOST,
    valuesFiles: ['test/cluster/fixtures/prometheus-operator-values.yaml'],
  });
}, 600_000);

afterAll(async () => {
  // The operator puts a finalizer on the Prometheus that only it removes: with the operator going
  // with its namespace, that would hold the namespace (and the CRD) in Terminating for good.
  await kubectl([
    'patch',
    'prometheus',
    '-n',
    MONITORING,
    PROMETHEUS_NAME,
    '--type=merge',
    '-p',
    '{"metadata":{"finalizers":null}}',
  ]).catch(() => undefined);
  await kubectl(['delete', '--ignore-not-found', '--wait=false', ...clusterScopedNames(MONITORING)]);
  // The CRDs go too: 09-monitoring-crds starts from a cluster without them.
  await deleteCrds(crds);
});

it('the operator reconciles the Prometheus: a StatefulSet, a Ready pod, the chart ServiceMonitor in its config', async () => {
  await kubectl(['rollout', 'status', '-n', MONITORING, 'deployment/prometheus-operator', '--timeout=120s'], {
    timeoutMs: 150_000,
  });
  const log = await waitFor('the operator to have started its controllers', 60_000, async () => {
    const text = await kubectl(['logs', '-n', MONITORING, 'deployment/prometheus-operator']);
    return text.includes('successfully synced all caches') ? text : undefined;
  });
  // What the operator logs when a kind's CRD or its RBAC is missing (it then runs without that
  // controller): every kind of example/prometheus-operator-crd is there, with upstream's RBAC.
  expect(log).not.toMatch(/not installed in the cluster|missing permission/);

  const started = Date.now();
  await deployPrometheus(MONITORING, NAMESPACE, images);
  await waitFor('the StatefulSet prometheus-discounts', 120_000, () =>
    kubectl(['get', 'statefulset', '-n', MONITORING, `prometheus-${PROMETHEUS_NAME}`]).catch(() => undefined),
  );
  const toStatefulSet = seconds(started);
  await kubectl(
    [
      'wait',
      '-n',
      MONITORING,
      '--for=condition=Ready',
      `pod/prometheus-${PROMETHEUS_NAME}-0`,
      '--timeout=180s',
    ],
    { timeoutMs: 200_000 },
  );
  const toReady = seconds(started);
  const monitors = await kubectlJson<{ items: Array<{ metadata: { name: string } }> }>([
    'get',
    'servicemonitors',
    '-n',
    NAMESPACE,
  ]);
  expect(monitors.items.map((m) => m.metadata.name)).toEqual([`${RELEASE}-discounts`]);
  const job = `serviceMonitor/${NAMESPACE}/${RELEASE}-discounts/0`;
  await waitFor(`the generated config to scrape ${job}`, 60_000, async () =>
    (await generatedConfig(MONITORING)).includes(`job_name: ${job}`) ? true : undefined,
  );
  console.log(`operator: StatefulSet after ${toStatefulSet} s, Prometheus pod Ready after ${toReady} s`);
  prometheus = await PrometheusApi.of(MONITORING);
}, 400_000);

it('scrapes both apps of the release through the ServiceMonitor: targets up', async () => {
  const started = Date.now();
  const up = await waitFor('generator and provider targets up', 90_000, async () => {
    const targets = (await prometheus.targets()).filter((t) => t.labels.namespace === NAMESPACE);
    const healthy = targets.filter((t) => t.health === 'up').map((t) => t.labels.job);
    return healthy.includes('generator') && healthy.includes('provider') ? targets : undefined;
  });
  expect(up.map((t) => `${t.labels.job}:${t.health}`).sort()).toEqual(['generator:up', 'provider:up']);
  console.log(`targets up ${seconds(started)} s after the Prometheus pod was Ready`);
}, 120_000);

it("loads the chart's rule groups, healthy, with the test values' `for`", async () => {
  type Rule = { name: string; type: string; health: string; duration?: number; lastError?: string };
  const groups = await waitFor('the rules loaded and evaluated', 60_000, async () => {
    const data = await prometheus.get<{ groups: Array<{ name: string; rules: Rule[] }> }>('/api/v1/rules');
    const all = data.groups.flatMap((g) => g.rules);
    return all.length > 0 && all.every((r) => r.health === 'ok') ? data.groups : undefined;
  });
  expect(groups.map((g) => g.name).sort()).toEqual(
    rules()
      .groups.map((g) => g.name)
      .sort(),
  );
  const durations = Object.fromEntries(groups.flatMap((g) => g.rules).map((r) => [r.name, r.duration]));
  expect(durations).toMatchObject({
    DiscountsInstanceDown: 10,
    DiscountsNoInstance: 10,
    DiscountsCodePoolNearlyExhausted: 10,
  });
  // The others keep the rules file's.
  expect(durations.DiscountsHighErrorRatio).toBe(300);
}, 90_000);

it('fires DiscountsCodePoolNearlyExhausted for a brand whose codes are nearly all claimed', async () => {
  const key = await createBrand(POOL_BRAND, target);
  const codes = await gateway(`/v1/brands/${POOL_BRAND}/codes`, { json: { count: 20 }, token: key }, HOST);
  expect(codes.status).toBe(201);
  for (let i = 0; i < 15; i++) {
    const claimed = await gateway(
      `/v1/brands/${POOL_BRAND}/claims`,
      { method: 'POST', token: await userToken(`pool-user-${i}`, target.jwtSecret) },
      HOST,
    );
    expect(claimed.status).toBe(201);
  }
  const started = Date.now();
  const alert = await waitFor('DiscountsCodePoolNearlyExhausted firing at 5 codes left', 90_000, async () => {
    const firing = await prometheus.firing('DiscountsCodePoolNearlyExhausted', { brand: POOL_BRAND })();
    return firing && Number(firing.value) === 5 ? firing : undefined;
  });
  expect(alert.labels.severity).toBe('warning');
  console.log(
    `DiscountsCodePoolNearlyExhausted firing ${seconds(started)} s after the last claim (for: 10s)`,
  );
}, 150_000);

it('every Grafana dashboard panel query returns series from this Prometheus', async () => {
  await driveDashboardFlows(target);
  const queries = dashboardQueries({
    namespace: NAMESPACE,
    job: 'generator|provider',
    instance: '.*',
    rateInterval: '1m',
  });
  expect(queries.length).toBeGreaterThan(30);
  let empty: string[] = [];
  await waitFor('a series for every panel query', 90_000, async () => {
    empty = [];
    for (const q of queries) if ((await prometheus.query(q.expr)).length === 0) empty.push(q.where);
    return empty.length === 0 ? true : undefined;
  }).catch(() => undefined);
  expect(empty).toEqual([]);
  console.log(`dashboard panel queries with series: ${queries.length} of ${queries.length}`);
}, 240_000);

const generatorTargets = async () =>
  (await prometheus.targets()).filter(
    (t) => t.labels.namespace === NAMESPACE && t.labels.job === 'generator',
  );

it('a generator scaled to 0 leaves no target: DiscountsNoInstance fires, DiscountsInstanceDown cannot', async () => {
  await kubectl(['scale', '-n', NAMESPACE, `deployment/${GENERATOR}`, '--replicas=0']);
  const started = Date.now();
  try {
    await waitFor('the generator target gone', 60_000, async () =>
      (await generatorTargets()).length === 0 ? true : undefined,
    );
    console.log(`generator target gone ${seconds(started)} s after scaling to 0`);
    const alert = await waitFor('DiscountsNoInstance firing for the generator', 90_000, () =>
      prometheus.firing('DiscountsNoInstance', { job: 'generator' })(),
    );
    expect(alert.labels.severity).toBe('critical');
    console.log(`DiscountsNoInstance firing ${seconds(started)} s after scaling to 0 (for: 10s)`);
    // No target, so no `up` sample: `up == 0` has nothing to match.
    expect(await prometheus.query(`up{namespace="${NAMESPACE}",job="generator"}`)).toEqual([]);
    expect(await prometheus.firing('DiscountsInstanceDown', { job: 'generator' })()).toBeUndefined();
    expect(await prometheus.firing('DiscountsNoInstance', { job: 'provider' })()).toBeUndefined();
  } finally {
    await kubectl(['scale', '-n', NAMESPACE, `deployment/${GENERATOR}`, '--replicas=1']);
  }
  await waitFor('the generator target up again', 120_000, async () =>
    (await generatorTargets()).some((t) => t.health === 'up') ? true : undefined,
  );
}, 240_000);

it("fires DiscountsInstanceDown once the generator's NetworkPolicy no longer lets Prometheus in", async () => {
  // The chart's policy lets Prometheus in from prometheusPeers; this puts back the chart's default
  // peer (namespace "monitoring"), as a release would that forgot to name its Prometheus.
  const peer = (namespace: string) => [
    {
      op: 'replace',
      path: '/spec/ingress/0/from/1',
      value: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } },
    },
  ];
  const patch = (namespace: string) =>
    kubectl([
      'patch',
      'networkpolicy',
      '-n',
      NAMESPACE,
      GENERATOR,
      '--type=json',
      '-p',
      JSON.stringify(peer(namespace)),
    ]);
  await waitFor('the generator target up', 60_000, async () =>
    (await generatorTargets()).some((t) => t.health === 'up') ? true : undefined,
  );
  await patch('monitoring');
  // Prometheus keeps its scrape connection open, and the policy lets established connections
  // be: a new pod (a new address, a new connection) is what the policy now shuts out.
  await kubectl([
    'delete',
    'pod',
    '-n',
    NAMESPACE,
    '-l',
    `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=generator`,
  ]);
  const started = Date.now();
  try {
    const alert = await waitFor('DiscountsInstanceDown firing for the generator', 120_000, () =>
      prometheus.firing('DiscountsInstanceDown', { job: 'generator', namespace: NAMESPACE })(),
    );
    expect(alert.labels.severity).toBe('critical');
    console.log(
      `DiscountsInstanceDown firing ${seconds(started)} s after the generator was cut off (for: 10s)`,
    );
  } finally {
    await patch(MONITORING);
  }
}, 180_000);
