/**
 * The rules every dashboard panel follows, as functions: a `datasource` variable (Prometheus), `job`
 * and `instance` variables used in every query, rates over $__rate_interval, ratios that show 0
 * instead of "no data" when nothing failed, and panels laid out left to right, row by row.
 */
export const S = 'job=~"$job",instance=~"$instance"';
export const R = '$__rate_interval';
export const DS = { type: 'prometheus', uid: '${datasource}' };

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
    uid,
    title,
    description,
    tags: ['discounts'],
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
          current: {},
          hide: 0,
        },
        {
          name: 'job',
          label: 'Service',
          type: 'query',
          datasource: DS,
          query: { query: 'label_values(up{job=~"generator|provider"}, job)', refId: 'job' },
          definition: 'label_values(up{job=~"generator|provider"}, job)',
          refresh: 2,
          multi: true,
          includeAll: true,
          allValue: 'generator|provider',
          current: {},
          hide: 0,
        },
        {
          name: 'instance',
          label: 'Instance',
          type: 'query',
          datasource: DS,
          query: { query: 'label_values(up{job=~"$job"}, instance)', refId: 'instance' },
          definition: 'label_values(up{job=~"$job"}, instance)',
          refresh: 2,
          multi: true,
          includeAll: true,
          allValue: '.*',
          current: {},
          hide: 0,
        },
      ],
    },
    annotations: { list: [] },
    panels: placed,
  };
}
