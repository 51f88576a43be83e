/**
 * deploy/grafana/dashboards (written by tools/grafana/build-dashboards.mjs): they import through
 * Grafana's UI (__inputs asks for the Prometheus data source, __requires names what they need),
 * link to one another by their tag, filter every query by the namespace and service variables
 * (and instance, where the series has one), read the recorded series of the rules by the names
 * the rules give them, and reach Grafana through the chart's ConfigMap with the data source
 * placeholder resolved to grafanaDashboards.datasourceUid.
 */
import { dashboards, recordedNames, selectorsIn, type Dashboard } from '../support/monitoring';
import { CHART_DIR, helm, ofKind, parseYamlDocuments } from './support/helm';

const all = dashboards();
const recorded = new Set(recordedNames());
const DS_INPUT = '${DS_PROMETHEUS}';

/** Every string in a JSON value with its path (templating.list.0.current.value). */
function stringLeaves(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => stringLeaves(v, path ? `${path}.${key}` : key));
}

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

describe.each(all.map((d) => [d.file, d] as const))('%s', (_file, { json }: Dashboard) => {
  const variables = json.templating.list;

  it("imports through Grafana's UI: a Prometheus input that the datasource variable defaults to", () => {
    expect(json.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    ]);
    expect(variables[0]).toMatchObject({
      name: 'datasource',
      type: 'datasource',
      query: 'prometheus',
      current: { value: DS_INPUT },
    });
    const panelTypes = [...new Set(json.panels.map((p) => p.type))].sort();
    expect(json.__requires.map((r) => `${r.type}:${r.id}`).sort()).toEqual(
      ['grafana:grafana', 'datasource:prometheus', ...panelTypes.map((t) => `panel:${t}`)].sort(),
    );
  });

  // Provisioned as it is (compose.yaml's Grafana, the chart with a uid Grafana lacks), nothing
  // fills in the input: Grafana then replaces the variable's unknown value with the first
  // Prometheus data source by name. That works only if the variable is all that names the input,
  // and every panel, query and variable reads its data source through the variable.
  it('names the input only as the datasource variable default, and reads every data source through that variable', () => {
    const leaves = stringLeaves(json);
    expect(leaves.filter(([, v]) => v.includes(DS_INPUT)).map(([path]) => path)).toEqual([
      'templating.list.0.current.text',
      'templating.list.0.current.value',
    ]);
    const refs = leaves.filter(([path]) => /(^|\.)datasource\.uid$/.test(path));
    expect(refs.length).toBeGreaterThan(json.panels.length);
    for (const [path, uid] of refs) expect({ path, uid }).toEqual({ path, uid: '${datasource}' });
    expect(leaves.filter(([path]) => /(^|\.)datasource$/.test(path))).toEqual([]);
  });

  it('links to the other dashboards by their shared tag, keeping the variables and the time range', () => {
    expect(json.tags).toContain('discounts');
    expect(json.links).toEqual([
      expect.objectContaining({ type: 'dashboards', tags: ['discounts'], includeVars: true, keepTime: true }),
    ]);
  });

  it('has namespace, service and instance variables, each narrowed by the ones before', () => {
    expect(variables.map((v) => v.name)).toEqual(['datasource', 'namespace', 'job', 'instance']);
    const byName = Object.fromEntries(variables.map((v) => [v.name, v]));
    expect(byName.namespace).toMatchObject({
      definition: 'label_values(up{job=~"generator|provider"}, namespace)',
      allValue: '.*',
    });
    expect(byName.job!.definition).toContain('namespace=~"$namespace"');
    expect(byName.instance!.definition).toMatch(/namespace=~"\$namespace",job=~"\$job"/);
  });

  it('filters every query by namespace and service, and raw metrics by instance too', () => {
    expect(json.panels.length).toBeGreaterThan(2);
    for (const panel of json.panels) {
      expect({ panel: panel.title, ds: panel.datasource?.uid }).toEqual({
        panel: panel.title,
        ds: '${datasource}',
      });
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        const selectors = selectorsIn(target.expr);
        expect(selectors.length).toBeGreaterThan(0);
        for (const { name, labels } of selectors) {
          const isRecorded = name.includes(':');
          const where = `${panel.title} › ${target.refId} › ${name}`;
          expect({ where, known: !isRecorded || recorded.has(name) }).toEqual({ where, known: true });
          expect({ where, labels }).toEqual({
            where,
            labels: expect.arrayContaining(
              isRecorded ? ['namespace', 'job'] : ['namespace', 'job', 'instance'],
            ) as unknown,
          });
        }
      }
    }
  });
});

describe("the chart's dashboards ConfigMap", () => {
  const render = (...sets: string[]) => {
    const objects = parseYamlDocuments(
      helm([
        'template',
        'discounts',
        CHART_DIR,
        '--set',
        'grafanaDashboards.enabled=true',
        ...sets.flatMap((s) => ['--set', s]),
      ]).stdout,
      'helm template',
    );
    const [map] = ofKind(objects, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
    return map!.data as Record<string, string>;
  };
  const withUid = (d: Dashboard, uid: string) =>
    JSON.parse(JSON.stringify(d.json).replaceAll(DS_INPUT, uid)) as unknown;

  it.each([
    ['the default uid, prometheus', [], 'prometheus'],
    ['grafanaDashboards.datasourceUid', ['grafanaDashboards.datasourceUid=mimir-eu'], 'mimir-eu'],
  ])('puts %s where the import input was, and changes nothing else', (_what, sets, uid) => {
    const data = render(...sets);
    expect(Object.keys(data).sort()).toEqual(all.map((d) => d.file));
    for (const dashboard of all) {
      const text = data[dashboard.file]!;
      expect(text).not.toContain(DS_INPUT);
      expect(JSON.parse(text)).toEqual(withUid(dashboard, uid));
      const [datasource] = (JSON.parse(text) as Dashboard['json']).templating.list;
      expect(datasource?.current).toEqual({ text: uid, value: uid });
    }
  });
});
