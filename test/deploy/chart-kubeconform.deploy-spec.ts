/**
 * kubeconform -strict over the chart's renders (support/kubeconform.ts), beside the
 * kubernetes-models validation of chart.deploy-spec.ts: the local cluster's Kubernetes version,
 * the Prometheus Operator's and the Gateway API's CRDs, and no unknown field anywhere. The
 * schemas are made offline (tools/chart/kubeconform-schemas.sh); a schema that cannot be made
 * fails these tests naming it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHART_DIR,
  findObject,
  helmTemplateRaw,
  parseYamlDocuments,
  render,
  type K8sObject,
  type RenderOptions,
} from './support/helm';
import {
  kubeconform,
  kubeconformObjects,
  kubeconformProblems,
  kubeconformSchemaDir,
} from './support/kubeconform';

/** The APIs a cluster with the Prometheus Operator serves, so that the chart renders its objects. */
const OPERATOR_APIS = ['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule'];
const CI_FILES = readdirSync(join(CHART_DIR, 'ci')).filter((f) => f.endsWith('.yaml'));

// Cold, the schemas take a while to make (15–25 s, more on a busy machine); then they are cached.
beforeAll(() => {
  kubeconformSchemaDir();
}, 600_000);

/** Every object of Helm's output, with kubeconform's verdict on each: all valid, none skipped. */
function expectAllValid(helmOutput: string, objects: readonly K8sObject[]): void {
  const report = kubeconform(helmOutput);
  expect(kubeconformProblems(report)).toEqual([]);
  expect(report.summary).toEqual({ valid: objects.length, invalid: 0, errors: 0, skipped: 0 });
  const checked = report.resources.map((r) => `${r.kind}/${r.name}`).sort();
  expect(checked).toEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort());
}

describe('kubeconform -strict accepts every render', () => {
  // Each named scenario must render the kinds it is there for, or it would prove nothing about them.
  const scenarios: Array<[string, RenderOptions, string[]]> = [
    ['default values', {}, ['Deployment', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Pod']],
    [
      'values-production.yaml, with the Prometheus Operator',
      { valuesFiles: ['values-production.yaml'], apiVersions: OPERATOR_APIS },
      ['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress', 'NetworkPolicy', 'ServiceMonitor'],
    ],
    ['HTTPRoute on (ci/httproute-values.yaml)', { valuesFiles: ['ci/httproute-values.yaml'] }, ['HTTPRoute']],
    [
      'monitoring on (ci/monitoring-values.yaml)',
      { valuesFiles: ['ci/monitoring-values.yaml'], apiVersions: OPERATOR_APIS },
      ['ServiceMonitor', 'PrometheusRule'],
    ],
    ...CI_FILES.map((f): [string, RenderOptions, string[]] => [
      `ci/${f}`,
      { valuesFiles: [`ci/${f}`], apiVersions: OPERATOR_APIS },
      ['Deployment'],
    ]),
    ['deploy/local/values.yaml', { valuesFiles: ['../../deploy/local/values.yaml'] }, ['Deployment']],
  ];

  it.each(scenarios)('%s', (_name, options, kinds) => {
    const helm = helmTemplateRaw(options);
    expect({ status: helm.status, stderr: helm.stderr }).toEqual({ status: 0, stderr: '' });
    const objects = parseYamlDocuments(helm.stdout, 'helm template');
    expect(kinds.filter((k) => !objects.some((o) => o.kind === k))).toEqual([]);
    expectAllValid(helm.stdout, objects);
  });
});

describe('the schemas are strict and complete', () => {
  const deployment = () => structuredClone(findObject(render(), 'Deployment', 'discounts-generator'));
  type Containers = Array<Record<string, unknown>>;
  const containersOf = (object: K8sObject) =>
    (object.spec as { template: { spec: { containers: Containers } } }).template.spec.containers;

  const verdictOn = (object: K8sObject) => {
    const [resource] = kubeconformObjects([object]).resources;
    return { status: resource?.status, msg: resource?.msg ?? '' };
  };

  it('an unknown field of a Kubernetes object is refused', () => {
    const object = deployment();
    containersOf(object)[0]!.imagePullPolicyy = 'Always';
    expect(verdictOn(object)).toEqual({
      status: 'statusInvalid',
      msg: expect.stringContaining("additional properties 'imagePullPolicyy' not allowed") as string,
    });
  });

  it('what the API server accepts is accepted: a number for a quantity, a name or a number for a port', () => {
    const object = deployment();
    const [container] = containersOf(object);
    container!.resources = { requests: { cpu: 0.5, memory: '128Mi' }, limits: { memory: 268435456 } };
    (container!.readinessProbe as { httpGet: { port: unknown } }).httpGet.port = 5001;
    expect(verdictOn(object)).toEqual({ status: 'statusValid', msg: '' });
    (container!.readinessProbe as { httpGet: { port: unknown } }).httpGet.port = true;
    expect(verdictOn(object).status).toBe('statusInvalid');
  });

  it('an unknown field of a Prometheus Operator object is refused', () => {
    const objects = render({ valuesFiles: ['ci/monitoring-values.yaml'], apiVersions: OPERATOR_APIS });
    const monitor = structuredClone(findObject(objects, 'ServiceMonitor', 'discounts'));
    (monitor.spec as Record<string, unknown>).scrapeIntervall = '15s';
    expect(verdictOn(monitor)).toEqual({
      status: 'statusInvalid',
      msg: expect.stringContaining("additional properties 'scrapeIntervall' not allowed") as string,
    });
  });

  it('a wrong type in a Gateway API object is refused', () => {
    const objects = render({ valuesFiles: ['ci/httproute-values.yaml'] });
    const route = structuredClone(objects.find((o) => o.kind === 'HTTPRoute')!);
    (route.spec as { hostnames: unknown }).hostnames = 'discounts.example.com';
    expect(verdictOn(route).status).toBe('statusInvalid');
  });

  it('a key given twice is refused (-strict reads the YAML strictly)', () => {
    const report = kubeconform('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
    expect(report.summary).toMatchObject({ valid: 0, invalid: 0, errors: 1 });
  });

  it('an object whose schema is missing is an error, not a pass', () => {
    const widget: K8sObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(verdictOn(widget)).toEqual({ status: 'statusError', msg: 'could not find schema for Widget' });
  });
});
