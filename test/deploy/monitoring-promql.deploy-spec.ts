/**
 * Every PromQL expression of the dashboards and the rules parses (promtool), and the metric-name
 * extraction the e2e relies on. The rules themselves: monitoring.deploy-spec.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  dashboardQueries,
  metricNamesIn,
  recordedNames,
  requireBinary,
  ruleQueries,
} from '../support/monitoring';

const promtool = requireBinary('promtool');
const run = (args: string[]) =>
  execFileSync(promtool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('every PromQL expression of the dashboards and the rules', () => {
  const queries = [
    ...dashboardQueries({ namespace: '.*', job: 'generator|provider', instance: '.*', rateInterval: '1m' }),
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

  const recorded = new Set(recordedNames());
  it('reads at least one metric, all named discounts_*, http_*, process_*, nodejs_*, up or recorded by the rules', () => {
    for (const query of queries) {
      const names = [...metricNamesIn(query.expr)];
      expect({ where: query.where, hasNames: names.length > 0 }).toEqual({
        where: query.where,
        hasNames: true,
      });
      for (const name of names.filter((n) => !recorded.has(n)))
        expect({ where: query.where, name }).toEqual({
          where: query.where,
          name: expect.stringMatching(
            /^(discounts_|http_request_duration_seconds|process_|nodejs_|up$)/,
          ) as unknown,
        });
    }
  });
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
