/**
 * The chart's values files: the production file is a small overlay, the chart README lists every
 * value, and the Prometheus rules and Grafana dashboards are carried once deploy/ has them. The
 * schema's own checks are in chart-schema.deploy-spec.ts.
 */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, helm, ofKind, parseYamlDocuments, REPO_ROOT } from './support/helm';
import { validateAll, validateObject } from './support/k8s-schemas';

/** Leaf paths of a values tree; maps and lists are leaves ({} and [] are values themselves). */
function leafPaths(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length > 0) {
    for (const [key, value] of Object.entries(node)) {
      for (const [path, leaf] of leafPaths(value, prefix ? `${prefix}.${key}` : key)) out.set(path, leaf);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

const readValues = (file: string) => parse(readFileSync(join(CHART_DIR, file), 'utf8')) as unknown;

describe('values files', () => {
  const defaults = leafPaths(readValues('values.yaml'));

  it('values-production.yaml is an overlay: only keys of values.yaml, each with a different value, a fraction of its size', () => {
    const production = leafPaths(readValues('values-production.yaml'));
    const subtreeOf = (path: string) =>
      [...defaults.keys()].some((d) => d === path || path.startsWith(`${d}.`));
    for (const [path, value] of production) {
      expect({ path, known: subtreeOf(path) }).toEqual({ path, known: true });
      expect({ path, value }).not.toEqual({ path, value: defaults.get(path) });
    }
    expect(production.size).toBeLessThan(defaults.size / 3);
  });

  it('the chart README lists every value of values.yaml, itself or as part of a map documented whole', () => {
    const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
    // helm-docs (chart-docs.deploy-spec.ts) lists a map whose `# --` comment is on the map as one row.
    const listed = (path: string) =>
      path.split('.').some((_, i, parts) => readme.includes(`| \`${parts.slice(0, i + 1).join('.')}\` |`));
    const missing = [...defaults.keys()].filter((path) => !listed(path));
    expect(missing).toEqual([]);
  });
});

describe('Prometheus rules and Grafana dashboards from deploy/', () => {
  it("the chart's files/ are links to deploy/, where the rules and dashboards live", () => {
    expect(realpathSync(join(CHART_DIR, 'files', 'prometheus'))).toBe(
      join(REPO_ROOT, 'deploy', 'prometheus'),
    );
    expect(realpathSync(join(CHART_DIR, 'files', 'dashboards'))).toBe(
      join(REPO_ROOT, 'deploy', 'grafana', 'dashboards'),
    );
  });

  /**
   * A copy of the chart laid out as the repository is, with sample files: its files/ links point
   * into a deploy/ beside it, so that Helm reads them through the links as it does here.
   */
  const sampleChart = () => {
    const dir = mkdtempSync(join(tmpdir(), 'discounts-chart-'));
    const chart = join(dir, 'helm', 'discounts');
    cpSync(CHART_DIR, chart, { recursive: true, verbatimSymlinks: true });
    mkdirSync(join(dir, 'deploy', 'prometheus'), { recursive: true });
    mkdirSync(join(dir, 'deploy', 'grafana', 'dashboards'), { recursive: true });
    expect(realpathSync(join(chart, 'files', 'prometheus'))).toBe(
      realpathSync(join(dir, 'deploy', 'prometheus')),
    );
    writeFileSync(
      join(chart, 'files', 'prometheus', 'rules.yaml'),
      [
        'groups:',
        '  - name: discounts',
        '    rules:',
        '      - alert: DiscountsDown',
        '        expr: up{job=~"generator|provider"} == 0',
        '        for: 5m',
        '        labels: { severity: critical }',
        '        annotations: { summary: "{{ $labels.job }} is down" }',
      ].join('\n'),
    );
    writeFileSync(
      join(chart, 'files', 'dashboards', 'claims.json'),
      JSON.stringify({ title: 'Claims', panels: [] }),
    );
    writeFileSync(
      join(chart, 'files', 'dashboards', 'generation.json'),
      JSON.stringify({ title: 'Generation', panels: [] }),
    );
    return { dir, chart };
  };

  it('renders them into a valid PrometheusRule and one dashboards ConfigMap when the flags are on', () => {
    const { dir, chart } = sampleChart();
    try {
      const result = helm([
        'template',
        'discounts',
        chart,
        '--values',
        join(CHART_DIR, 'ci', 'monitoring-values.yaml'),
        '--api-versions',
        'monitoring.coreos.com/v1/PrometheusRule',
      ]);
      expect(result.stderr).toBe('');
      const objects = parseYamlDocuments(result.stdout, 'helm template');
      validateAll(objects);
      const [rule] = ofKind(objects, 'PrometheusRule');
      expect(rule?.spec).toEqual({
        groups: [
          {
            name: 'discounts',
            rules: [
              {
                alert: 'DiscountsDown',
                expr: 'up{job=~"generator|provider"} == 0',
                for: '5m',
                labels: { severity: 'critical' },
                annotations: { summary: '{{ $labels.job }} is down' },
              },
            ],
          },
        ],
      });
      const dashboards = ofKind(objects, 'ConfigMap').filter(
        (c) => c.metadata.labels?.grafana_dashboard === '1',
      );
      expect(dashboards).toHaveLength(1);
      expect(dashboards[0]!.metadata.annotations).toEqual({ grafana_folder: 'Discounts' });
      expect(Object.keys(dashboards[0]!.data as object).sort()).toEqual(['claims.json', 'generation.json']);
      expect(JSON.parse((dashboards[0]!.data as Record<string, string>)['claims.json']!)).toEqual({
        title: 'Claims',
        panels: [],
      });

      const off = parseYamlDocuments(helm(['template', 'discounts', chart]).stdout, 'helm template');
      expect(off.map((o) => o.kind)).not.toContain('PrometheusRule');
      expect(off.filter((c) => c.metadata.labels?.grafana_dashboard)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the schema check itself', () => {
  it('rejects an invalid object and an unknown kind', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: {
        selector: {},
        template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: '80' }] }] } },
      },
    };
    expect(() => validateObject(deployment)).toThrow(/containerPort must be integer/);
    expect(() =>
      validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toThrow(/no schema for example\.com\/v1 Widget/);
  });

  it("rejects an HTTPRoute the Gateway API CRD refuses, and fields it doesn't know", () => {
    const route = (spec: object) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec,
    });
    const backend = { backendRefs: [{ name: 's', port: 80 }] };
    expect(() =>
      validateObject(
        route({
          parentRefs: [{ name: 'g' }],
          rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], ...backend }],
        }),
      ),
    ).not.toThrow();
    expect(() =>
      validateObject(
        route({
          parentRefs: [{ name: 'g' }],
          rules: [{ matches: [{ path: { type: 'Regex', value: '/' } }] }],
        }),
      ),
    ).toThrow(/HTTPRoute r is not valid: .*\/spec\/rules\/0\/matches\/0\/path\/type/);
    expect(() => validateObject(route({ parentRefs: [{ gateway: 'g' }] }))).toThrow(/\(gateway\)/);
    expect(() =>
      validateObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toThrow();
  });
});
