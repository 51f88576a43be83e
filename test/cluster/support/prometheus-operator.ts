/**
 * The Prometheus Operator as a user runs it, on the local cluster: its CRDs, RBAC and Deployment
 * from the operator's own Go module (example/prometheus-operator-crd, example/rbac) at the version
 * tools/cluster pins, with images of binaries built here (the operator, its config reloader and
 * Prometheus: tools/cluster/build.sh, then tools/cluster/images/build.sh), and a Prometheus
 * resource that selects a release's ServiceMonitor and PrometheusRule by label. Not Debian's
 * Prometheus: Debian builds it without the Kubernetes service discovery every configuration the
 * operator generates uses ("field kubernetes_sd_configs not found").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments, stringify } from 'yaml';
import { clusterVersion } from '../../support/cluster-versions';
import { goModuleDir } from '../../support/go-modules';
import { CLUSTER, kubectl, kubectlJson, REPO_ROOT, run, waitFor } from './cluster';

export const OPERATOR_VERSION = clusterVersion('PROMETHEUS_OPERATOR_VERSION');
/** Prometheus's release number from its module's tag: v0.305.0 is v3.5.0. */
export const PROMETHEUS_RELEASE = (() => {
  const [minor = 0, patch = 0] = clusterVersion('PROMETHEUS_VERSION')
    .slice('v0.'.length)
    .split('.')
    .map(Number);
  return `v${Math.floor(minor / 100)}.${minor % 100}.${patch}`;
})();
/** The label the release's monitoring objects carry (test/cluster/fixtures/prometheus-operator-values.yaml). */
export const SELECTOR_LABELS = { 'discounts.test/prometheus': 'operator' };

type Manifest = Record<string, unknown> & { kind: string; metadata: Record<string, unknown> };

const moduleDir = () => goModuleDir(`github.com/prometheus-operator/prometheus-operator@${OPERATOR_VERSION}`);

function manifestsIn(dir: string, files: readonly string[]): Manifest[] {
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJS() as Manifest),
  );
}

const apply = (objects: readonly Manifest[]) =>
  kubectl(['apply', '-f', '-'], { input: objects.map((o) => stringify(o)).join('---\n') });

export interface Images {
  operator: string;
  configReloader: string;
  prometheus: string;
  /** The Prometheus resource's `version` (PROMETHEUS_RELEASE). */
  prometheusVersion: string;
}

/**
 * Builds and imports the three images (cached: seconds once built). The binaries are `make
 * install`'s (tools/cluster/build.sh prometheus-operator prometheus); built from own wrapper
 * modules, they carry no usable version in their build info, so the tags name the pinned ones.
 */
export async function importImages(): Promise<Images> {
  const names = [
    `operator:${OPERATOR_VERSION}`,
    `prometheus-config-reloader:${OPERATOR_VERSION}`,
    `prometheus:${PROMETHEUS_RELEASE}`,
  ];
  await run('bash', [join(REPO_ROOT, 'tools/cluster/images/build.sh'), '--import', ...names], {
    timeoutMs: 300_000,
  });
  const ref = (name: string) => readFileSync(join(CLUSTER.dir, 'images', `${name}.ref`), 'utf8').trim();
  const prometheus = ref('prometheus');
  return {
    operator: ref('operator'),
    configReloader: ref('prometheus-config-reloader'),
    prometheus,
    prometheusVersion: PROMETHEUS_RELEASE,
  };
}

/** Every CRD of the operator (it runs a controller for each kind it finds), server-side: they are large. */
export async function installCrds(): Promise<string[]> {
  const dir = join(moduleDir(), 'example', 'prometheus-operator-crd');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  await kubectl([
    'apply',
    '--server-side',
    '--force-conflicts',
    ...files.flatMap((f) => ['-f', join(dir, f)]),
  ]);
  const names = manifestsIn(dir, files).map((crd) => String(crd.metadata.name));
  await kubectl(['wait', '--for=condition=Established', ...names.map((n) => `crd/${n}`), '--timeout=60s']);
  return names;
}

export async function deleteCrds(names: readonly string[]): Promise<void> {
  if (names.length > 0)
    await kubectl(['delete', '--ignore-not-found', '--wait=false', ...names.map((n) => `crd/${n}`)]);
}

/** Cluster-scoped objects get the namespace in their name, so nothing else's is replaced. */
function scoped(objects: Manifest[], namespace: string): Manifest[] {
  return objects.map((o) => {
    const clusterScoped = o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding';
    const metadata = clusterScoped
      ? { ...o.metadata, name: `${String(o.metadata.name)}-${namespace}` }
      : { ...o.metadata, namespace };
    const scopedObject: Manifest = { ...o, metadata };
    if (o.kind === 'ClusterRoleBinding') {
      const roleRef = o.roleRef as { name: string };
      scopedObject.roleRef = { ...roleRef, name: `${roleRef.name}-${namespace}` };
      scopedObject.subjects = (o.subjects as Array<Record<string, string>>).map((s) => ({ ...s, namespace }));
    }
    return scopedObject;
  });
}

export function clusterScopedNames(namespace: string): string[] {
  return ['prometheus-operator', 'prometheus'].flatMap((name) => [
    `clusterrole/${name}-${namespace}`,
    `clusterrolebinding/${name}-${namespace}`,
  ]);
}

interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  args: string[];
}

/**
 * The operator of example/rbac/prometheus-operator (its Deployment, ServiceAccount and ClusterRole),
 * in `namespace`, acting only in `watched` namespaces, on the images built here.
 */
export async function deployOperator(namespace: string, watched: readonly string[], images: Images) {
  const dir = join(moduleDir(), 'example', 'rbac', 'prometheus-operator');
  const objects = scoped(
    manifestsIn(dir, [
      'prometheus-operator-service-account.yaml',
      'prometheus-operator-cluster-role.yaml',
      'prometheus-operator-cluster-role-binding.yaml',
      'prometheus-operator-deployment.yaml',
    ]),
    namespace,
  );
  const deployment = objects.find((o) => o.kind === 'Deployment') as Manifest & {
    spec: { template: { spec: { containers: Container[] } } };
  };
  const [container] = deployment.spec.template.spec.containers;
  if (!container) throw new Error(`${dir}: the operator's Deployment has no container`);
  container.image = images.operator;
  container.imagePullPolicy = 'Never';
  // Not the upstream kubelet Service (nothing here scrapes kubelets); the reloader without a CPU
  // limit, which on this busy 2-core node would throttle it for seconds at every reload.
  container.args = [
    `--prometheus-config-reloader=${images.configReloader}`,
    `--namespaces=${watched.join(',')}`,
    '--config-reloader-cpu-limit=0',
  ];
  await apply(objects);
}

export const PROMETHEUS_NAME = 'discounts';

/**
 * A Prometheus (example/rbac/prometheus's ServiceAccount and ClusterRole) that
 * selects the ServiceMonitors and PrometheusRules labelled SELECTOR_LABELS in `releaseNamespace`,
 * scraping and evaluating every 5 s.
 */
export async function deployPrometheus(namespace: string, releaseNamespace: string, images: Images) {
  const dir = join(moduleDir(), 'example', 'rbac', 'prometheus');
  const rbac = scoped(
    manifestsIn(dir, [
      'prometheus-service-account.yaml',
      'prometheus-cluster-role.yaml',
      'prometheus-cluster-role-binding.yaml',
    ]),
    namespace,
  );
  const inRelease = { matchLabels: { 'kubernetes.io/metadata.name': releaseNamespace } };
  const prometheus: Manifest = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: { name: PROMETHEUS_NAME, namespace },
    spec: {
      image: images.prometheus,
      version: images.prometheusVersion,
      imagePullPolicy: 'Never',
      replicas: 1,
      serviceAccountName: 'prometheus',
      serviceMonitorSelector: { matchLabels: SELECTOR_LABELS },
      serviceMonitorNamespaceSelector: inRelease,
      ruleSelector: { matchLabels: SELECTOR_LABELS },
      ruleNamespaceSelector: inRelease,
      scrapeInterval: '5s',
      evaluationInterval: '5s',
      retention: '1h',
      resources: { requests: { cpu: '50m', memory: '128Mi' } },
    },
  };
  await apply([...rbac, prometheus]);
}

/** The scrape configuration the operator generated (the Secret prometheus-NAME, gzipped). */
export async function generatedConfig(namespace: string): Promise<string> {
  const secret = await kubectlJson<{ data: Record<string, string> }>([
    'get',
    'secret',
    '-n',
    namespace,
    `prometheus-${PROMETHEUS_NAME}`,
  ]);
  const gzipped = secret.data['prometheus.yaml.gz'];
  if (gzipped === undefined) throw new Error(`prometheus-${PROMETHEUS_NAME}: no prometheus.yaml.gz yet`);
  return gunzipSync(Buffer.from(gzipped, 'base64')).toString('utf8');
}

interface PromResponse<T> {
  status: string;
  data: T;
  error?: string;
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** The HTTP API of the operator's Prometheus pod, reached from the node at the pod's address. */
export class PrometheusApi {
  constructor(readonly url: string) {}

  static async of(namespace: string): Promise<PrometheusApi> {
    const ip = await waitFor('the Prometheus pod to have an address', 60_000, async () => {
      const pod = await kubectl([
        'get',
        'pod',
        '-n',
        namespace,
        `prometheus-${PROMETHEUS_NAME}-0`,
        '-o',
        'jsonpath={.status.podIP}',
      ]);
      return pod || undefined;
    });
    return new PrometheusApi(`http://${ip}:9090`);
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(this.url + path, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as PromResponse<T>;
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
    return body.data;
  }

  async query(expr: string): Promise<Sample[]> {
    return (await this.get<{ result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result;
  }

  async targets(): Promise<Array<{ labels: Record<string, string>; health: string; lastError: string }>> {
    return (await this.get<{ activeTargets: never[] }>('/api/v1/targets?state=active')).activeTargets;
  }

  async alerts(): Promise<Array<{ labels: Record<string, string>; state: string; value: string }>> {
    return (await this.get<{ alerts: never[] }>('/api/v1/alerts')).alerts;
  }

  /** The alert `name` with these labels once it is firing. */
  firing(name: string, labels: Record<string, string> = {}) {
    return async () =>
      (await this.alerts()).find(
        (a) =>
          a.labels.alertname === name &&
          a.state === 'firing' &&
          Object.entries(labels).every(([k, v]) => a.labels[k] === v),
      );
  }
}
