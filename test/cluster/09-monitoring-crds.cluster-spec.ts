/**
 * values-production.yaml turns the ServiceMonitor and PrometheusRule on. On a cluster without the
 * Prometheus Operator's CRDs those kinds would fail the whole install, so the chart renders them
 * only when the API serves them, and its NOTES say when it left them out. Both paths are checked
 * with `helm install --dry-run=server` (the API server validates every object), first on this
 * cluster as it is, then with the operator's CRDs installed (from the operator's Go module; the
 * operator itself runs in 13-prometheus-operator).
 */
import { join } from 'node:path';
import { clusterVersion } from '../support/cluster-versions';
import { goModuleDir } from '../support/go-modules';
import { helm, kubectl, REPO_ROOT, scratchNamespace } from './support/cluster';

const NAMESPACE = 'discounts-monitoring';
const CHART = join(REPO_ROOT, 'helm', 'discounts');
const KINDS = ['servicemonitors', 'prometheusrules'];
const crdFiles = () => {
  const dir = join(
    goModuleDir(
      `github.com/prometheus-operator/prometheus-operator@${clusterVersion('PROMETHEUS_OPERATOR_VERSION')}`,
    ),
    'example',
    'prometheus-operator-crd',
  );
  return KINDS.map((kind) => join(dir, `monitoring.coreos.com_${kind}.yaml`));
};
const productionArgs = ['--values', join(CHART, 'values-production.yaml')];
const dryRun = () =>
  helm(['install', 'discounts', CHART, '-n', NAMESPACE, '--dry-run=server', ...productionArgs]);
const kindsIn = (manifest: string) => [...manifest.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);

scratchNamespace(NAMESPACE);

afterAll(async () => {
  for (const file of crdFiles()) await kubectl(['delete', '-f', file, '--ignore-not-found']);
});

it('without the CRDs, the kinds the chart used to render are refused by the API server (the defect)', async () => {
  const manifest = await helm([
    'template',
    'discounts',
    CHART,
    '-n',
    NAMESPACE,
    ...productionArgs,
    '--api-versions',
    'monitoring.coreos.com/v1/ServiceMonitor',
    '--api-versions',
    'monitoring.coreos.com/v1/PrometheusRule',
  ]);
  await expect(
    kubectl(['apply', '-n', NAMESPACE, '--dry-run=server', '-f', '-'], { input: manifest }),
  ).rejects.toThrow(/no matches for kind "(ServiceMonitor|PrometheusRule)"/);
});

it('without the CRDs, the install goes through without those kinds, and the notes say so', async () => {
  const out = await dryRun();
  const kinds = kindsIn(out);
  expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'Service', 'HorizontalPodAutoscaler']));
  expect(kinds).not.toContain('ServiceMonitor');
  expect(kinds).not.toContain('PrometheusRule');
  expect(out).toMatch(
    /serviceMonitor\.enabled is set, but this cluster does not serve monitoring\.coreos\.com\/v1 ServiceMonitor/,
  );
  expect(out).toMatch(
    /prometheusRule\.enabled is set, but this cluster does not serve monitoring\.coreos\.com\/v1 PrometheusRule/,
  );
}, 60_000);

it('with the CRDs, both kinds are rendered and pass the API server, and the notes say nothing of it', async () => {
  for (const file of crdFiles()) await kubectl(['create', '-f', file]);
  await kubectl([
    'wait',
    '--for=condition=Established',
    ...KINDS.map((kind) => `crd/${kind}.monitoring.coreos.com`),
    '--timeout=60s',
  ]);
  const out = await dryRun();
  expect(kindsIn(out)).toEqual(expect.arrayContaining(['ServiceMonitor', 'PrometheusRule']));
  expect(out).not.toContain('does not serve monitoring.coreos.com');
}, 180_000);
