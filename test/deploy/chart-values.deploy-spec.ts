/**
 * The chart's values: values.schema.json rejects unknown keys and bad values (helm fails before
 * rendering anything), the production file is a small overlay, the chart README lists every
 * value, and the Prometheus rules and Grafana dashboards are carried once deploy/ has them.
 */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, helm, helmTemplateRaw, ofKind, parseYamlDocuments, REPO_ROOT } from './support/helm';
import { validateAll, validateObject } from './support/k8s-schemas';

const SCHEMA_ERROR = "values don't meet the specifications of the schema";

describe('values.schema.json', () => {
  it('is strict: every object in it either lists its properties with additionalProperties: false or types its map values', () => {
    const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as object;
    const loose: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      // if/then only add constraints to an object that is itself closed.
      if (/\/(if|then)$/.test(path)) return;
      if (record.properties !== undefined && record.additionalProperties !== false) loose.push(path);
      for (const [key, value] of Object.entries(record)) walk(value, `${path}/${key}`);
    };
    walk(schema, '#');
    expect(loose).toEqual([]);
    expect((schema as { additionalProperties: unknown }).additionalProperties).toBe(false);
  });

  // [what is wrong, --set assignment, the schema location Helm must name]
  const BAD_VALUES: Array<[string, string, string]> = [
    ['an unknown top-level key', 'replicas=2', "at '': additional properties 'replicas'"],
    [
      'an unknown nested key (typo)',
      'generator.replicas=2',
      "at '/generator': additional properties 'replicas'",
    ],
    ['an unknown key in a deep object', 'ingress.claims.regex=true', "at '/ingress/claims'"],
    ['a string for a count', 'generator.replicaCount=two', "at '/generator/replicaCount'"],
    ['negative replicas', 'provider.replicaCount=-1', "at '/provider/replicaCount'"],
    ['zero maxReplicas', 'generator.autoscaling.maxReplicas=0', "at '/generator/autoscaling/maxReplicas'"],
    [
      'a CPU target above 100%',
      'provider.autoscaling.targetCPUUtilizationPercentage=150',
      "at '/provider/autoscaling/targetCPUUtilizationPercentage'",
    ],
    ['a port out of range', 'generator.port=70000', "at '/generator/port'"],
    ['a service port of 0', 'provider.service.port=0', "at '/provider/service/port'"],
    ['an unknown log level', 'settings.logLevel=loud', "at '/settings/logLevel'"],
    ['a boolean as a string', 'settings.swaggerEnabled=yes', "at '/settings/swaggerEnabled'"],
    ['a NATS URL with another scheme', 'settings.natsUrl=http://nats:4222', "at '/settings/natsUrl'"],
    [
      'a MongoDB URI with another scheme',
      'secrets.mongodbUri=postgres://db/discounts',
      "at '/secrets/mongodbUri'",
    ],
    ['no MongoDB URI and no existing Secret', 'secrets.mongodbUri=', "at '/secrets/mongodbUri'"],
    ['an admin token shorter than the apps accept', 'secrets.adminToken=short', "at '/secrets/adminToken'"],
    [
      'a JWT secret shorter than the provider accepts',
      'secrets.jwtSecret=only-twenty-chars-xx',
      "at '/secrets/jwtSecret'",
    ],
    [
      'a batch size the generator rejects',
      'generator.settings.generationBatchSize=50',
      "at '/generator/settings/generationBatchSize'",
    ],
    [
      'a JWKS URL that is not http(s)',
      'provider.settings.jwtJwksUrl=ftp://keys',
      "at '/provider/settings/jwtJwksUrl'",
    ],
    ['an unknown pull policy', 'generator.image.pullPolicy=Sometimes', "at '/generator/image/pullPolicy'"],
    ['a malformed digest', 'provider.image.digest=sha256:xyz', "at '/provider/image/digest'"],
    ['an unknown Service type', 'generator.service.type=Internal', "at '/generator/service/type'"],
    [
      'an unknown spread policy',
      'topologySpread.zone.whenUnsatisfiable=Never',
      "at '/topologySpread/zone/whenUnsatisfiable'",
    ],
    // One setting for both keys was the old shape: refused, not silently ignored.
    [
      'the former single spread setting',
      'topologySpread.whenUnsatisfiable=DoNotSchedule',
      "at '/topologySpread'",
    ],
    ['an unknown pathType', 'ingress.claims.pathType=Regex', "at '/ingress/claims/pathType'"],
    ['a host with a scheme', 'ingress.hosts[0]=https://discounts.example.com', "at '/ingress/hosts/0'"],
    [
      'a writable root filesystem',
      'securityContext.readOnlyRootFilesystem=false',
      "at '/securityContext/readOnlyRootFilesystem'",
    ],
    [
      'running as root allowed',
      'podSecurityContext.runAsNonRoot=false',
      "at '/podSecurityContext/runAsNonRoot'",
    ],
    [
      'privilege escalation',
      'securityContext.allowPrivilegeEscalation=true',
      "at '/securityContext/allowPrivilegeEscalation'",
    ],
    ['a bad quantity', 'generator.resources.limits.memory=lots', "at '/generator/resources/limits/memory'"],
    ['a bad scrape interval', 'serviceMonitor.interval=soon', "at '/serviceMonitor/interval'"],
    [
      'a webhook port as a name',
      'networkPolicy.egress.webhooks.ports[0]=https',
      "at '/networkPolicy/egress/webhooks/ports/0'",
    ],
    [
      'a network peer of an unknown kind',
      'networkPolicy.prometheusPeers[0].serviceSelector.app=x',
      "at '/networkPolicy/prometheusPeers/0'",
    ],
    [
      'DEV_OPEN_BRAND_API through extraEnv',
      'generator.extraEnv[0].name=DEV_OPEN_BRAND_API',
      "at '/generator/extraEnv/0/name'",
    ],
    ['an env name that is not one', 'provider.extraEnv[0].name=log-level', "at '/provider/extraEnv/0/name'"],
    ['a map value that is not a string', 'commonLabels.team=7', "at '/commonLabels/team'"],
    ['an HTTPRoute without a parent', 'httpRoute.enabled=true', "at '/httpRoute/parentRefs'"],
    // Behind a proxy without trusting it, every client has the proxy's address: one client's
    // guesses would lock everyone out.
    ['the Ingress without trusted proxies', 'ingress.enabled=true', "at '/settings/trustedProxies'"],
    [
      'the HTTPRoute without trusted proxies',
      'httpRoute.enabled=true,httpRoute.parentRefs[0].name=local',
      "at '/settings/trustedProxies'",
    ],
    [
      'a trusted proxy that is a host name',
      'settings.trustedProxies[0]=ingress.local',
      "at '/settings/trustedProxies/0'",
    ],
    [
      'a parentRef without a name',
      'httpRoute.parentRefs[0].namespace=gateway-system',
      "at '/httpRoute/parentRefs/0'",
    ],
    [
      'an unknown key in a parentRef',
      'httpRoute.parentRefs[0].gateway=local',
      "at '/httpRoute/parentRefs/0'",
    ],
    [
      'an HTTPRoute hostname with a scheme',
      'httpRoute.hostnames[0]=http://x.local',
      "at '/httpRoute/hostnames/0'",
    ],
    [
      "a path match type the Gateway API doesn't have",
      'httpRoute.claims.pathType=Regex',
      "at '/httpRoute/claims/pathType'",
    ],
  ];

  it.each(BAD_VALUES)('rejects %s (%s)', (_what, assignment, location) => {
    const result = helmTemplateRaw({ set: [assignment] });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(SCHEMA_ERROR);
    expect(result.stderr).toContain(location);
  });

  it('accepts an existing Secret instead of a MongoDB URI', () => {
    const result = helmTemplateRaw({ set: ['secrets.mongodbUri=', 'secrets.existingSecret=discounts'] });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

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

  it('the chart README lists every value of values.yaml', () => {
    const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
    const missing = [...defaults.keys()].filter((path) => !readme.includes(`| \`${path}\``));
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
