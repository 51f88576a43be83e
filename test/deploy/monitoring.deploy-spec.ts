/**
 * deploy/prometheus and deploy/grafana: the rules pass promtool's checks and its unit tests
 * (rules.test.yaml), every PromQL expression of the dashboards and the rules parses, and the
 * dashboards follow the house rules (datasource variable, service and instance filters in every
 * query). That the metric names exist and the queries return data is checked against the live
 * apps by test/e2e/prometheus.e2e-spec.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  dashboardQueries,
  dashboards,
  metricNamesIn,
  requireBinary,
  rules,
  ruleQueries,
  RULES_FILE,
  RULES_TEST_FILE,
  REPO_ROOT,
} from '../support/monitoring';
import { CHART_DIR, findObject, helm, ofKind, parseYamlDocuments } from './support/helm';

const promtool = requireBinary('promtool');
const run = (args: string[]) =>
  execFileSync(promtool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('Prometheus rules (deploy/prometheus/rules.yaml)', () => {
  it('pass promtool check rules', () => {
    expect(run(['check', 'rules', RULES_FILE])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('pass their promtool unit tests (rules.test.yaml)', () => {
    expect(run(['test', 'rules', RULES_TEST_FILE])).toContain('SUCCESS');
  });

  const alerts = rules().groups.flatMap((g) => g.rules);
  it.each([
    'DiscountsHighErrorRatio',
    'DiscountsHighLatencyP99',
    'DiscountsLoadShedding',
    'DiscountsCodePoolNearlyExhausted',
    'DiscountsOutboxBacklog',
    'DiscountsWebhookDeadLettersGrowing',
    'DiscountsConsumerLag',
    'DiscountsStreamFilling',
    'DiscountsInstanceDown',
    'DiscountsNoInstance',
  ])('%s exists with a summary, a description and a runbook in the README', (name) => {
    const alert = alerts.find((a) => a.alert === name);
    expect(alert?.annotations).toEqual({
      summary: expect.any(String) as unknown,
      description: expect.any(String) as unknown,
      runbook_url: `README.md#${name.toLowerCase()}`,
    });
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(new RegExp(`^#{2,4} ${name}$`, 'm'));
  });

  it('become the PrometheusRule of the chart as they are', () => {
    const objects = parseYamlDocuments(
      helm([
        'template',
        'discounts',
        CHART_DIR,
        '--set',
        'prometheusRule.enabled=true',
        '--api-versions',
        'monitoring.coreos.com/v1/PrometheusRule',
      ]).stdout,
      'helm template',
    );
    const [rule] = ofKind(objects, 'PrometheusRule');
    expect(rule?.spec).toEqual({ groups: rules().groups });
  });

  const renderRule = (...sets: string[]) =>
    helm([
      'template',
      'discounts',
      CHART_DIR,
      '--set',
      'prometheusRule.enabled=true',
      ...sets.flatMap((set) => ['--set', set]),
      '--api-versions',
      'monitoring.coreos.com/v1/PrometheusRule',
    ]);

  it("take prometheusRule.alertFor's `for` for the alerts it names, and only for them", () => {
    const [rule] = ofKind(
      parseYamlDocuments(
        renderRule('prometheusRule.alertFor.DiscountsInstanceDown=10s').stdout,
        'helm template',
      ),
      'PrometheusRule',
    );
    const rendered = (rule?.spec as ReturnType<typeof rules>).groups.flatMap((g) => g.rules);
    const original = rules().groups.flatMap((g) => g.rules);
    expect(rendered.map((r) => (r.alert === 'DiscountsInstanceDown' ? { ...r, for: '2m' } : r))).toEqual(
      original,
    );
    expect(rendered.find((r) => r.alert === 'DiscountsInstanceDown')).toMatchObject({ for: '10s' });
  });

  it('refuse a prometheusRule.alertFor that names no alert of the rules (a typo)', () => {
    const result = renderRule('prometheusRule.alertFor.DiscountsInstanceGone=10s');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      'prometheusRule.alertFor names DiscountsInstanceGone, which is no alert of files/prometheus/rules.yaml',
    );
  });

  it('become, as they are, the ConfigMap for a Prometheus without the operator', () => {
    const objects = parseYamlDocuments(
      helm(['template', 'discounts', CHART_DIR, '--set', 'prometheusRule.configMap.enabled=true']).stdout,
      'helm template',
    );
    expect(ofKind(objects, 'PrometheusRule')).toEqual([]);
    const map = findObject(objects, 'ConfigMap', 'discounts-alert-rules');
    expect((map.data as Record<string, string>)['rules.yaml']).toBe(
      readFileSync(RULES_FILE, 'utf8').trimEnd(),
    );
  });
});

describe('every PromQL expression of the dashboards and the rules', () => {
  const queries = [
    ...dashboardQueries({ job: 'generator|provider', instance: '.*', rateInterval: '1m' }),
    ...ruleQueries(),
  ];

  it('parses (promtool check rules, each one as a recording rule)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promql-'));
    try {
      const file = join(dir, 'all.yaml');
      writeFileSync(
        file,
        stringify({
          groups: [
            { name: 'parse', rules: queries.map((q, i) => ({ record: `parse:check_${i}`, expr: q.expr })) },
          ],
        }),
      );
      expect(run(['check', 'rules', file])).toContain(`SUCCESS: ${queries.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads at least one metric, all named discounts_*, http_*, process_*, nodejs_* or up', () => {
    for (const query of queries) {
      const names = [...metricNamesIn(query.expr)];
      expect({ where: query.where, hasNames: names.length > 0 }).toEqual({
        where: query.where,
        hasNames: true,
      });
      for (const name of names)
        expect({ where: query.where, name }).toEqual({
          where: query.where,
          name: expect.stringMatching(
            /^(discounts_|http_request_duration_seconds|process_|nodejs_|up$)/,
          ) as unknown,
        });
    }
  });
});

describe('Grafana dashboards (deploy/grafana/dashboards)', () => {
  const all = dashboards();

  it('cover the service overview, claims, pools, generation jobs, webhooks, NATS and the Node runtime', () => {
    expect(all.map((d) => d.file)).toEqual([
      'claims.json',
      'generation-jobs.json',
      'nats.json',
      'node-runtime.json',
      'pools.json',
      'service-overview.json',
      'webhooks.json',
    ]);
    expect(new Set(all.map((d) => d.json.uid)).size).toBe(all.length);
  });

  it.each(all.map((d) => [d.file, d] as const))(
    '%s: a datasource variable, service and instance filters in every query',
    (_file, dashboard) => {
      const variables = dashboard.json.templating.list;
      expect(variables.find((v) => v.name === 'datasource')).toMatchObject({
        type: 'datasource',
        query: 'prometheus',
      });
      expect(variables.map((v) => v.name)).toEqual(['datasource', 'job', 'instance']);
      expect(dashboard.json.panels.length).toBeGreaterThan(2);
      for (const panel of dashboard.json.panels) {
        expect({ panel: panel.title, ds: panel.datasource?.uid }).toEqual({
          panel: panel.title,
          ds: '${datasource}',
        });
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) {
          expect({ panel: panel.title, expr: target.expr }).toEqual({
            panel: panel.title,
            expr: expect.stringMatching(/job=~"\$job",instance=~"\$instance"/) as unknown,
          });
        }
      }
    },
  );
});

describe('metricNamesIn', () => {
  it('finds the names and skips functions, keywords, labels, strings and durations', () => {
    expect(
      [
        ...metricNamesIn(
          'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{job=~"a|b",status="5.."}[5m]))) > 1e3 and on (job) up offset 5m',
        ),
      ].sort(),
    ).toEqual(['http_request_duration_seconds_bucket', 'up']);
    expect([...metricNamesIn('(sum by (x) (rate(a_total{y="or"}[1m])) or b * 0) / c')].sort()).toEqual([
      'a_total',
      'b',
      'c',
    ]);
  });
});
