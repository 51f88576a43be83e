/**
 * What `helm install --wait` left running (the global setup installs): every pod Ready through the
 * kubelet's own probes, not crash-looping despite Services named like the apps' settings, and
 * containers really as locked down as the chart says — checked from inside the running pods.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installation, kubectl, podsOf, REPO_ROOT, waitFor, type Pod } from './support/cluster';

const { namespace, release, collidingServices, installSeconds, adminTokens, jwtSecret } = installation();
const APPS = ['generator', 'provider'] as const;
const selectorOf = (app: string) =>
  `app.kubernetes.io/instance=${release},app.kubernetes.io/component=${app}`;

let pods: Record<(typeof APPS)[number], Pod[]>;

beforeAll(async () => {
  pods = {
    generator: await podsOf(namespace, selectorOf('generator')),
    provider: await podsOf(namespace, selectorOf('provider')),
  };
  console.log(`helm install --wait: ${installSeconds.toFixed(1)} s`);
});

describe('helm install --wait with deploy/local/values.yaml', () => {
  it('runs two generators and two providers, every container Ready and started, none restarted', () => {
    expect(pods.generator).toHaveLength(2);
    expect(pods.provider).toHaveLength(2);
    for (const pod of [...pods.generator, ...pods.provider]) {
      expect({ pod: pod.metadata.name, phase: pod.status.phase }).toEqual({
        pod: pod.metadata.name,
        phase: 'Running',
      });
      const ready = pod.status.conditions?.find((c) => c.type === 'Ready')?.status;
      expect({ pod: pod.metadata.name, ready }).toEqual({ pod: pod.metadata.name, ready: 'True' });
      for (const c of pod.status.containerStatuses ?? [])
        expect({ container: c.name, ready: c.ready, started: c.started, restarts: c.restartCount }).toEqual({
          container: c.name,
          ready: true,
          started: true,
          restarts: 0,
        });
    }
  });

  it('got there through the startup, liveness and readiness probes the kubelet runs', async () => {
    for (const pod of [...pods.generator, ...pods.provider]) {
      const [container] = pod.spec.containers;
      expect(container?.startupProbe).toBeDefined();
      expect(container?.livenessProbe).toBeDefined();
      expect(container?.readinessProbe).toBeDefined();
    }
    // The kubelet counts every probe it runs, by result (liveness runs every 10 s, so the first
    // ones may still be due right after the install).
    for (const type of ['Startup', 'Liveness', 'Readiness']) {
      await waitFor(`a successful ${type} probe of each of the 4 app pods`, 60_000, async () => {
        const metrics = await kubectl(['get', '--raw', '/api/v1/nodes/discounts-node/proxy/metrics/probes']);
        const pods = metrics
          .split('\n')
          .filter((l) => l.startsWith('prober_probe_total{') && l.includes(`probe_type="${type}"`))
          .filter((l) => l.includes(`namespace="${namespace}"`) && l.includes('result="successful"'))
          .filter((l) => /pod="[^"]*-(generator|provider)-/.test(l));
        return pods.length === 4 ? pods : undefined;
      });
    }
  }, 90_000);

  it('ignores Services named like its settings (service links are off)', async () => {
    const names = (await kubectl(['get', 'services', '-n', namespace, '-o', 'name'])).split('\n');
    for (const service of collidingServices) expect(names).toContain(`service/${service}`);
    for (const pod of [...pods.generator, ...pods.provider]) expect(pod.spec.enableServiceLinks).toBe(false);
    const env = await kubectl([
      'exec',
      '-n',
      namespace,
      pods.provider[0]!.metadata.name,
      '--',
      'node',
      '-e',
      'console.log(Object.keys(process.env).join("\\n"))',
    ]);
    expect(
      env.split('\n').filter((name) => /^(METRICS|MONGODB|NATS|GENERATOR|PROVIDER)_PORT/.test(name)),
    ).toEqual([]);
  });
});

describe('the security context, from inside the pods', () => {
  const exec = (pod: Pod, script: string) =>
    kubectl(['exec', '-n', namespace, pod.metadata.name, '--', 'node', '-e', script]);

  it.each(APPS)('%s runs as UID/GID 1000, cannot write its root filesystem, can write /tmp', async (app) => {
    const pod = pods[app][0]!;
    const out = await exec(
      pod,
      `const fs = require('node:fs');
       const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'written'; } catch (e) { return e.code; } };
       console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), root: tryWrite('/app/probe'),
         etc: tryWrite('/etc/probe'), tmp: tryWrite('/tmp/probe') }));`,
    );
    expect(JSON.parse(out)).toEqual({ uid: 1000, gid: 1000, root: 'EROFS', etc: 'EROFS', tmp: 'written' });
  });

  it.each(APPS)('%s has no service-account token mounted', async (app) => {
    const pod = pods[app][0]!;
    const out = await exec(
      pod,
      `console.log(require('node:fs').existsSync('/var/run/secrets/kubernetes.io/serviceaccount'))`,
    );
    expect(out.trim()).toBe('false');
  });
});

describe('the image, from inside the pods', () => {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const devOnly = Object.keys(lock.packages).filter((path) => path !== '' && lock.packages[path]!.dev);

  it.each(APPS)(
    '%s ships node alone: no npm, npx or corepack, no dev-only package, no source maps',
    async (app) => {
      expect(devOnly.length).toBeGreaterThan(100);
      const out = await kubectl(
        ['exec', '-i', '-n', namespace, pods[app][0]!.metadata.name, '--', 'node', '-e', INSPECT_IMAGE],
        { input: JSON.stringify(devOnly) },
      );
      expect(JSON.parse(out)).toEqual({ tools: [], devOnly: [], maps: 0, nodeModules: true });
    },
  );
});

/** Run by the image's node; reads the lockfile's dev-only paths on stdin. */
const INSPECT_IMAGE = `
const fs = require('node:fs');
const path = require('node:path');
const devOnly = JSON.parse(fs.readFileSync(0, 'utf8'));
const tools = ['npm', 'npx', 'corepack', 'yarn'].flatMap((t) =>
  ['/usr/local/bin', '/usr/bin', '/bin'].map((d) => path.join(d, t)).filter((p) => fs.existsSync(p)));
if (fs.existsSync('/usr/local/lib/node_modules')) tools.push('/usr/local/lib/node_modules');
const maps = fs.readdirSync('/app/node_modules', { recursive: true }).filter((f) => f.endsWith('.map')).length;
console.log(JSON.stringify({
  tools,
  devOnly: devOnly.filter((p) => fs.existsSync(path.join('/app', p))),
  maps,
  nodeModules: fs.existsSync('/app/node_modules/@nestjs/core'),
}));`;

describe('kubectl logs', () => {
  it.each(APPS)('%s writes JSON lines that hold no credential', async (app) => {
    const logs = await kubectl([
      'logs',
      '-n',
      namespace,
      '-l',
      selectorOf(app),
      '--tail=-1',
      '--prefix=false',
    ]);
    const lines = logs.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(lines.map((l) => (JSON.parse(l) as { service?: string }).service)).toContain(app);
    for (const token of Object.values(adminTokens)) expect(logs).not.toContain(token);
    expect(logs).not.toContain(jwtSecret);
  });
});
