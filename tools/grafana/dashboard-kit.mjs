/**
 * The rules every dashboard panel follows, as functions: a `datasource` variable (Prometheus) whose
 * default is the ${DS_PROMETHEUS} input (Grafana's import asks for it; the chart puts a uid there;
 * provisioned as it is, Grafana takes the first Prometheus data source instead: nothing but this
 * default may name the input),
 * `namespace`, `job` and `instance` variables used in every query (`instance` only where the series
 * still has one: a recorded series of deploy/prometheus/rules.yaml is per service), rates over
 * $__rate_interval, ratios that show 0 instead of "no data" when nothing failed, links to the
 * other dashboards (by their tag), and panels laid out left to right, row by row.
 */
export const TAG = 'discounts';
/** The selector of a recorded series (namespace_job…:…): one per service and namespace. */
export const N = 'namespace=~"$namespace",job=~"$job"';
/** The selector of a raw metric: per instance. */
export const S = `${N},instance=~"$instance"`;
export const R = '$__rate_interval';
export const DS = { type: 'prometheus', uid: '${datasource}' };
export const DS_INPUT = 'DS_PROMETHEUS';

/** A recorded series of the rules file, narrowed to the selected namespaces and services. */
export const rec = (name, extra = '') => `${name}{${N}${extra ? ',' + extra : ''}}`;

export const rate = (metric, extra = '') => `rate(${metric}{${S}${extra ? ',' + extra : ''}}[${R}])`;
export const p = (q, by, metric, extra = '') =>
  `histogram_quantile(${q}, sum by (le${by ? ', ' + by : ''}) (${rate(metric + '_bucket', extra)}))`;
/** failing / all, 0 (not "no data") when nothing failed. */
export const ratio = (metric, failing, by) =>
  `(sum by (${by}) (${rate(metric, failing)}) or sum by (${by}) (${rate(metric)}) * 0) / sum by (${by}) (${rate(metric)})`;

export function panel(title, unit, targets, { type = 'timeseries', w = 12, h = 8, description } = {}) {
  return {
    type,
    title,
    ...(description ? { description } : {}),
    datasource: DS,
    fieldConfig: { defaults: { unit }, overrides: [] },
    options:
      type === 'timeseries'
        ? { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] } }
        : {},
    gridPos: { w, h },
    targets: targets.map(([expr, legendFormat], i) => ({
      datasource: DS,
      expr,
      legendFormat,
      refId: String.fromCharCode(65 + i),
    })),
  };
}

const PANEL_NAMES = { bargauge: 'Bar gauge', stat: 'Stat', timeseries: 'Time series' };

/** What the dashboards need of Grafana, for its import (the panel types are the ones used). */
function requires(panels) {
  const types = [...new Set(panels.map((p) => p.type))].sort();
  return [
    { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.0.0' },
    { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
    ...types.map((id) => ({ type: 'panel', id, name: PANEL_NAMES[id] ?? id, version: '' })),
  ];
}

const queryVariable = (name, label, query, allValue) => ({
  name,
  label,
  type: 'query',
  datasource: DS,
  query: { query, refId: name },
  definition: query,
  refresh: 2,
  sort: 1,
  multi: true,
  includeAll: true,
  allValue,
  current: {},
  hide: 0,
});

export function dashboard(uid, title, description, panels) {
  let x = 0;
  let y = 0;
  let rowH = 0;
  const placed = panels.map((p, i) => {
    const { w, h } = p.gridPos;
    if (x + w > 24) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowH = Math.max(rowH, h);
    return { ...p, id: i + 1, gridPos };
  });
  return {
    __inputs: [
      {
        name: DS_INPUT,
        label: 'Prometheus',
        description: 'The Prometheus that scrapes the generator and the provider',
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    __requires: requires(placed),
    uid,
    title,
    description,
    tags: [TAG],
    links: [
      {
        title: 'Discounts dashboards',
        type: 'dashboards',
        tags: [TAG],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
        targetBlank: false,
        icon: 'external link',
        tooltip: '',
        url: '',
      },
    ],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: { text: '${DS_PROMETHEUS}', value: '${DS_PROMETHEUS}' },
          hide: 0,
        },
        // `.*` for All: series without a namespace label (a Prometheus that adds none) match too.
        queryVariable(
          'namespace',
          'Namespace',
          'label_values(up{job=~"generator|provider"}, namespace)',
          '.*',
        ),
        queryVariable(
          'job',
          'Service',
          'label_values(up{namespace=~"$namespace",job=~"generator|provider"}, job)',
          'generator|provider',
        ),
        queryVariable(
          'instance',
          'Instance',
          'label_values(up{namespace=~"$namespace",job=~"$job"}, instance)',
          '.*',
        ),
      ],
    },
    annotations: { list: [] },
    panels: placed,
  };
}
