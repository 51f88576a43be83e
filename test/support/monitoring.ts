/**
 * The PromQL of deploy/: every panel target of the Grafana dashboards and every rule expression,
 * with Grafana's variables substituted so that Prometheus can run them, and the metric names
 * each one reads. Shared by the deploy tier (parse checks) and the Prometheus e2e (live checks).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = join(__dirname, '..', '..');
export const DASHBOARDS_DIR = join(REPO_ROOT, 'deploy', 'grafana', 'dashboards');
export const RULES_FILE = join(REPO_ROOT, 'deploy', 'prometheus', 'rules.yaml');
export const RULES_TEST_FILE = join(REPO_ROOT, 'deploy', 'prometheus', 'rules.test.yaml');

/**
 * The path of a binary from Debian's prometheus package, or an error that says how to get it:
 * the tests that need it fail, they are never skipped.
 */
export function requireBinary(name: 'prometheus' | 'promtool'): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/bin', '/usr/local/bin')) {
    const candidate = join(dir, name);
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `${name} not found on PATH: install Debian's prometheus package (apt-get install -y prometheus; ` +
      '`make install` does this when run as root with apt available)',
  );
}

export interface Dashboard {
  readonly file: string;
  readonly json: {
    title: string;
    uid: string;
    tags: string[];
    __inputs: Array<{ name: string; type: string; pluginId: string }>;
    __requires: Array<{ type: string; id: string }>;
    links: Array<{ type: string; tags?: string[]; includeVars?: boolean; keepTime?: boolean }>;
    templating: {
      list: Array<{
        name: string;
        type: string;
        query?: unknown;
        definition?: string;
        allValue?: string;
        current?: { value?: string };
      }>;
    };
    panels: Array<{
      title: string;
      type: string;
      datasource?: { uid?: string };
      targets?: Array<{ expr: string; refId: string }>;
    }>;
  };
}

export function dashboards(): Dashboard[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      json: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard['json'],
    }));
}

export interface Query {
  /** Where it comes from, for messages: "claims.json › Claim latency › A" or "rule DiscountsX". */
  readonly where: string;
  readonly expr: string;
}

export interface VariableValues {
  /** A regex: `.*` is Grafana's All, which also matches series without a namespace label. */
  readonly namespace: string;
  readonly job: string;
  readonly instance: string;
  readonly rateInterval: string;
}

/** Grafana's variables as Prometheus needs them: regex matchers get regexes. */
export function substitute(expr: string, values: VariableValues): string {
  return expr
    .replaceAll('$__rate_interval', values.rateInterval)
    .replaceAll('$namespace', values.namespace)
    .replaceAll('$job', values.job)
    .replaceAll('$instance', values.instance);
}

export function dashboardQueries(values: VariableValues): Query[] {
  return dashboards().flatMap(({ file, json }) =>
    json.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        where: `${file} › ${panel.title} › ${target.refId}`,
        expr: substitute(target.expr, values),
      })),
    ),
  );
}

interface RulesFile {
  groups: Array<{
    name: string;
    rules: Array<{ alert?: string; record?: string; expr: string; annotations?: Record<string, string> }>;
  }>;
}

export function rules(): RulesFile {
  return parse(readFileSync(RULES_FILE, 'utf8')) as RulesFile;
}

/** The names the recording rules record (level:metric:operations), in file order. */
export function recordedNames(): string[] {
  return rules().groups.flatMap((group) => group.rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
}

/**
 * Every series selector of an expression, `name{matchers}`, with its label names. A name with no
 * braces is returned with none.
 */
export function selectorsIn(expr: string): Array<{ name: string; labels: string[] }> {
  const out: Array<{ name: string; labels: string[] }> = [];
  for (const name of metricNamesIn(expr)) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const uses = [
      ...expr.matchAll(new RegExp(`(?<![A-Za-z0-9_:])${escaped}(?![A-Za-z0-9_:])(\\{[^}]*\\})?`, 'g')),
    ];
    for (const use of uses)
      out.push({
        name,
        labels: [...(use[1] ?? '').matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!),
      });
  }
  return out;
}

export function ruleQueries(): Query[] {
  return rules().groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `rule ${rule.alert ?? rule.record}`, expr: rule.expr.trim() })),
  );
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads. Strings, label matchers, grouping clauses and
 * range/offset durations are removed first; what is left and is neither a function call, a
 * keyword nor a number is a metric name.
 */
export function metricNamesIn(expr: string): Set<string> {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+\S+/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const token = match[0];
    const after = stripped.slice(match.index + token.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(token.toLowerCase())) continue;
    const before = stripped.slice(0, match.index);
    // Exponents of numbers (1e3) are not names.
    if (/[0-9.]$/.test(before)) continue;
    names.add(token);
  }
  return names;
}
