/**
 * deploy/prometheus: the rules pass promtool's checks and its unit tests (rules.test.yaml), the
 * recording rules follow level:metric:operations and are what the alerts read, every runbook is
 * an absolute address the chart can move (monitoring.runbookBaseUrl), and every PromQL
 * expression of the dashboards and the rules parses. The dashboards' own conventions are
 * grafana-dashboards.deploy-spec.ts's; that the metric names exist and the queries return data is
 * checked against the live apps by test/e2e/prometheus.e2e-spec.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  dashboardQueries,
  metricNamesIn,
  recordedNames,
  requireBinary,
  rules,
  ruleQueries,
  RULES_FILE,
  RULES_TEST_FILE,
  REPO_ROOT,
} from '../support/monitoring';
import { CHART_DIR, findObject, helm, ofKind, parseYamlDocuments } from './support/helm';

/** The chart's default runbook page: the rules file carries it, so that both agree. */
const RUNBOOK_BASE = (
  parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { monitoring: { runbookBaseUrl: string } }
).monitoring.runbookBaseUrl;

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

  const all = rules().groups.flatMap((g) => g.rules);
  const alerts = all.filter((r) => r.alert);
  const recorded = new Set(recordedNames());

  it('record level:metric:operations series, the level (namespace first) naming what every `by` keeps', () => {
    expect(recorded.size).toBeGreaterThanOrEqual(10);
    for (const rule of all.filter((r) => r.record)) {
      const [level, metric, operations] = rule.record!.split(':');
      expect({ rule: rule.record, metric, operations }).toEqual({
        rule: rule.record,
        metric: expect.stringMatching(/^[a-z][a-z0-9_]*[a-z0-9]$/) as unknown,
        operations: expect.stringMatching(/^[a-z0-9_]+$/) as unknown,
      });
      // namespace always; job too, except for what is no app's own (the stream both apps report).
      expect({ rule: rule.record, level: level!.split('_')[0] }).toEqual({
        rule: rule.record,
        level: 'namespace',
      });
      // A counter's _total goes once it is rated; none is recorded raw.
      expect({ rule: rule.record, total: metric!.endsWith('_total') }).toEqual({
        rule: rule.record,
        total: false,
      });
      for (const by of rule.expr.matchAll(/\bby \(([^)]*)\)/g))
        expect({ rule: rule.record, by: by[1]!.split(/,\s*/).join('_') }).toEqual({
          rule: rule.record,
          by: level,
        });
    }
  });

  it('alert on recorded series (or `up`, which needs no recording), never on a raw expression again', () => {
    for (const alert of alerts)
      for (const name of metricNamesIn(alert.expr))
        expect({ alert: alert.alert, name, known: name === 'up' || recorded.has(name) }).toEqual({
          alert: alert.alert,
          name,
          known: true,
        });
  });

  it('record only what an alert or a dashboard panel reads', () => {
    const read = new Set(
      [
        ...dashboardQueries({ namespace: '.*', job: '.*', instance: '.*', rateInterval: '1m' }),
        ...ruleQueries(),
      ].flatMap((q) => [...metricNamesIn(q.expr)]),
    );
    expect([...recorded].filter((name) => !read.has(name))).toEqual([]);
  });

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
  ])(
    '%s exists with a summary, a description and an absolute runbook address in docs/runbooks.md',
    (name) => {
      const alert = alerts.find((a) => a.alert === name);
      expect(RUNBOOK_BASE).toMatch(/^https:\/\/[^#]+\/docs\/runbooks\.md$/);
      expect(alert?.annotations).toEqual({
        summary: expect.any(String) as unknown,
        description: expect.any(String) as unknown,
        runbook_url: `${RUNBOOK_BASE}#${name.toLowerCase()}`,
      });
      const runbooks = readFileSync(join(REPO_ROOT, 'docs', 'runbooks.md'), 'utf8');
      expect(runbooks).toMatch(new RegExp(`^## ${name}$`, 'm'));
    },
  );

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

  // One copy per Prometheus (values.yaml's prometheusRule.enabled): nothing in it is the release's.
  it('cover every namespace from one copy: the same rules in any release namespace, every `by` keeping namespace', () => {
    const specIn = (namespace: string) =>
      ofKind(
        parseYamlDocuments(
          helm([
            'template',
            'discounts',
            CHART_DIR,
            '--namespace',
            namespace,
            '--set',
            'prometheusRule.enabled=true',
            '--api-versions',
            'monitoring.coreos.com/v1/PrometheusRule',
          ]).stdout,
          'helm template',
        ),
        'PrometheusRule',
      )[0]?.spec;
    expect(specIn('shop-staging')).toEqual(specIn('shop-prod'));
    for (const rule of all)
      for (const by of rule.expr.matchAll(/\bby \(([^)]*)\)/g))
        expect({ rule: rule.record ?? rule.alert, by: by[1]!.split(/,\s*/) }).toEqual({
          rule: rule.record ?? rule.alert,
          by: expect.arrayContaining(['namespace']) as unknown,
        });
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

describe('monitoring.runbookBaseUrl', () => {
  const BASE = 'https://wiki.example.org/ops/discounts-runbooks';
  const render = (...sets: string[]) =>
    helm([
      'template',
      'discounts',
      CHART_DIR,
      '--set',
      'prometheusRule.enabled=true',
      '--set',
      'prometheusRule.configMap.enabled=true',
      ...sets.flatMap((set) => ['--set', set]),
      '--api-versions',
      'monitoring.coreos.com/v1/PrometheusRule',
    ]);
  /** The rules with every runbook moved to BASE, as the chart should render them. */
  const moved = () =>
    rules().groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) =>
        r.annotations
          ? { ...r, annotations: { ...r.annotations, runbook_url: `${BASE}#${r.alert!.toLowerCase()}` } }
          : r,
      ),
    }));

  it('moves every runbook_url of the PrometheusRule and the ConfigMap, and nothing else', () => {
    const objects = parseYamlDocuments(render(`monitoring.runbookBaseUrl=${BASE}`).stdout, 'helm template');
    const [rule] = ofKind(objects, 'PrometheusRule');
    expect(rule?.spec).toEqual({ groups: moved() });
    const map = findObject(objects, 'ConfigMap', 'discounts-alert-rules');
    const text = (map.data as Record<string, string>)['rules.yaml']!;
    expect(parse(text)).toEqual({ groups: moved() });
    // Still the file, comments and all.
    expect(text.replaceAll(BASE, RUNBOOK_BASE)).toBe(readFileSync(RULES_FILE, 'utf8').trimEnd());
  });

  it.each(['docs/runbooks.md', 'https://wiki.example.org/page#section'])(
    'refuses %s (not an absolute page)',
    (base) => {
      const result = render(`monitoring.runbookBaseUrl=${base}`);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('runbookBaseUrl');
    },
  );
});
