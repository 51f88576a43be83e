/**
 * The chart's monitoring switches: the Prometheus operator objects (ServiceMonitor, PrometheusRule)
 * and the Grafana dashboards ConfigMap, each on only when asked for. Split out of
 * chart-operations.deploy-spec, which holds the other operator-facing scenarios.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IService } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { findObject, ofKind, render, REPO_ROOT } from './support/helm';

describe('Prometheus operator objects and Grafana dashboards (flags)', () => {
  const rulesFile = join(REPO_ROOT, 'deploy', 'prometheus', 'rules.yaml');
  const dashboardsDir = join(REPO_ROOT, 'deploy', 'grafana', 'dashboards');
  const dashboards = readdirSync(dashboardsDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const operatorApis = ['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule'];
  const objects = render({ valuesFiles: ['ci/monitoring-values.yaml'], apiVersions: operatorApis });

  it('a ServiceMonitor scrapes /metrics on the http port of both Services, with job = the app', () => {
    const monitor = findObject(objects, 'ServiceMonitor', 'discounts');
    const spec = monitor.spec as {
      selector: {
        matchLabels: Record<string, string>;
        matchExpressions?: Array<{ key: string; operator: string; values: string[] }>;
      };
      jobLabel: string;
      endpoints: Array<Record<string, unknown>>;
    };
    expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '15s', scrapeTimeout: '10s' },
    ]);
    const services = ofKind(objects, 'Service') as unknown as IService[];
    const selected = services.filter(
      (s) =>
        Object.entries(spec.selector.matchLabels).every(([k, v]) => s.metadata!.labels?.[k] === v) &&
        (spec.selector.matchExpressions ?? []).every((e) => {
          expect(e.operator).toBe('In');
          return e.values.includes(s.metadata!.labels?.[e.key] ?? '');
        }),
    );
    // The apps' Services, not their admin Services (no /metrics there).
    expect(services.map((s) => s.metadata!.name)).toContain('discounts-generator-admin');
    expect(selected.map((s) => s.metadata!.labels![spec.jobLabel]).sort()).toEqual(['generator', 'provider']);
    for (const service of selected) expect(service.spec!.ports!.map((p) => p.name)).toContain('http');
  });

  it('a PrometheusRule carries deploy/prometheus/rules.yaml exactly, once that file exists', () => {
    const rules = ofKind(objects, 'PrometheusRule');
    if (!existsSync(rulesFile)) {
      expect(rules).toEqual([]);
      return;
    }
    const file = parse(readFileSync(rulesFile, 'utf8')) as { groups: unknown[] };
    expect(rules).toHaveLength(1);
    expect((rules[0]!.spec as { groups: unknown[] }).groups).toEqual(file.groups);
  });

  it('a dashboards ConfigMap with the sidecar label carries every deploy/grafana/dashboards/*.json, once there are any', () => {
    const configMaps = ofKind(objects, 'ConfigMap').filter(
      (c) => c.metadata.labels?.grafana_dashboard === '1',
    );
    if (dashboards.length === 0) {
      expect(configMaps).toEqual([]);
      return;
    }
    expect(configMaps).toHaveLength(1);
    const data = configMaps[0]!.data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(dashboards);
    for (const file of dashboards) {
      // The import placeholder becomes grafanaDashboards.datasourceUid (default prometheus).
      const source = readFileSync(join(dashboardsDir, file), 'utf8').replaceAll(
        '${DS_PROMETHEUS}',
        'prometheus',
      );
      expect(JSON.parse(data[file]!)).toEqual(JSON.parse(source));
    }
  });

  it('nothing of the kind without the flags', () => {
    const kinds = render({ apiVersions: operatorApis }).map((o) => o.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
  });

  it('nothing of the kind on a cluster without the operator, even with the flags (values-production.yaml)', () => {
    const kinds = render({ valuesFiles: ['values-production.yaml'] }).map((o) => o.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
    const withOperator = render({ valuesFiles: ['values-production.yaml'], apiVersions: operatorApis });
    expect(ofKind(withOperator, 'ServiceMonitor')).toHaveLength(1);
  });
});
