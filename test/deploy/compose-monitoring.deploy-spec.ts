/**
 * compose.yaml's `monitoring` profile: Prometheus and Grafana, their mounts, the Prometheus
 * configuration promtool accepts and the Grafana data source the dashboards rely on. The rest of
 * compose.yaml: compose.deploy-spec.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { requireBinary } from '../support/monitoring';
import { APPS } from './support/app-env-schemas';
import { environmentOf, mountsOf, publishedPorts, readComposeFile, service } from './support/compose';
import { CHART_DIR, REPO_ROOT } from './support/helm';

const compose = readComposeFile();
const MONITORING = ['prometheus', 'grafana'] as const;

describe('monitoring profile', () => {
  const prometheus = service(compose, 'prometheus');
  const grafana = service(compose, 'grafana');

  it.each(MONITORING)('%s: every bind-mounted path exists in the repository, read-only', (name) => {
    const binds = mountsOf(service(compose, name)).filter((m) => m.bind);
    expect(binds.length).toBeGreaterThan(0);
    for (const mount of binds) {
      expect({ source: mount.source, exists: existsSync(mount.source), readOnly: mount.readOnly }).toEqual({
        source: mount.source,
        exists: true,
        readOnly: true,
      });
    }
  });

  it('promtool accepts the Prometheus config with the rules, laid out as the container sees them', () => {
    const root = mkdtempSync(join(tmpdir(), 'compose-prometheus-'));
    try {
      for (const mount of mountsOf(prometheus).filter((m) => m.bind)) {
        const target = join(root, mount.target);
        mkdirSync(dirname(target), { recursive: true });
        cpSync(mount.source, target, { recursive: true });
      }
      const configFlag = (prometheus.command as string[]).find((a) => a.startsWith('--config.file='))!;
      const config = join(root, configFlag.slice('--config.file='.length));
      const out = execFileSync(requireBinary('promtool'), ['check', 'config', config], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toMatch(/SUCCESS: 1 rule files found/);
      expect(out).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('Prometheus scrapes each app on its PORT under job = the app name, as the rules and dashboards select', () => {
    const config = parse(readFileSync(join(REPO_ROOT, 'deploy', 'compose', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const jobs = Object.fromEntries(
      config.scrape_configs.map((c) => [c.job_name, c.static_configs[0]!.targets]),
    );
    expect(jobs).toEqual(
      Object.fromEntries(APPS.map((app) => [app, [`${app}:${environmentOf(service(compose, app)).PORT}`]])),
    );
    const rules = readFileSync(join(REPO_ROOT, 'deploy', 'prometheus', 'rules.yaml'), 'utf8');
    expect(rules).toContain('job=~"generator|provider"');
  });

  it('Grafana provisions the Prometheus data source and every dashboard of deploy/grafana', () => {
    const mounts = mountsOf(grafana);
    const provisioning = mounts.find((m) => m.target === '/etc/grafana/provisioning')!;
    const dashboardsMount = mounts.find(
      (m) => m.source === join(REPO_ROOT, 'deploy', 'grafana', 'dashboards'),
    )!;
    expect(provisioning).toBeDefined();
    expect(dashboardsMount).toBeDefined();

    const datasources = parse(
      readFileSync(join(provisioning.source, 'datasources', 'prometheus.yaml'), 'utf8'),
    ) as { datasources: Array<{ type: string; uid: string; url: string }> };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = parse(
      readFileSync(join(provisioning.source, 'dashboards', 'discounts.yaml'), 'utf8'),
    ) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(providers.providers).toEqual([
      expect.objectContaining({ type: 'file', options: { path: dashboardsMount.target } }),
    ]);
    expect(readdirSync(dashboardsMount.source).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
    expect(grafana.depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
  });

  // The dashboards' ${DS_PROMETHEUS} stays as it is in a provisioned file; Grafana replaces a
  // datasource variable value that is none of its options with the first Prometheus data source
  // by name (grafana-dashboards.deploy-spec.ts checks that the variable is the only use): here,
  // the only one.
  it('Grafana has one Prometheus data source, the default, with the uid the chart puts in the dashboards by default', () => {
    const provisioning = mountsOf(grafana).find((m) => m.target === '/etc/grafana/provisioning')!;
    const dir = join(provisioning.source, 'datasources');
    const all = readdirSync(dir).flatMap(
      (f) =>
        (parse(readFileSync(join(dir, f), 'utf8')) as { datasources: Array<Record<string, unknown>> })
          .datasources,
    );
    const chartUid = (
      parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
        grafanaDashboards: { datasourceUid: string };
      }
    ).grafanaDashboards.datasourceUid;
    expect(all.filter((d) => d.type === 'prometheus')).toEqual([
      expect.objectContaining({ uid: chartUid, isDefault: true }),
    ]);
  });

  it.each(MONITORING)('%s is published on 127.0.0.1 only', (name) => {
    const ports = publishedPorts(service(compose, name));
    expect(ports.length).toBe(1);
    expect(ports[0]!.hostIp).toBe('127.0.0.1');
  });
});
