/**
 * The release's life after install: `helm upgrade` with a changed setting rolls the pods (checksum
 * annotations) while a client keeps calling through the gateway and sees no failed request;
 * `helm rollback` puts the setting back; `helm test` runs the chart's test pods.
 */
import { gateway, helm, installation, kubectl, settled } from './support/cluster';
import { userToken } from './support/flows';

const { namespace, release, adminTokens } = installation();
const adminToken = adminTokens.generator;
const selector = `app.kubernetes.io/instance=${release}`;
const UPGRADE_ARGS = [
  'helm/discounts',
  '-n',
  namespace,
  '-f',
  'deploy/local/values.yaml',
  '--wait',
  '--timeout',
  '5m',
];

/** The app pods once a rollout has settled: two generators and two providers, none terminating. */
async function podNames(): Promise<string[]> {
  return (await settled(namespace, `${selector},app.kubernetes.io/component in (generator,provider)`, 4))
    .map((p) => p.metadata.name)
    .sort();
}

async function logLevel(app: 'generator' | 'provider'): Promise<string> {
  return kubectl([
    'get',
    'configmap',
    '-n',
    namespace,
    `${release}-${app}`,
    '-o',
    'jsonpath={.data.LOG_LEVEL}',
  ]);
}

/**
 * Calls both apps through the gateway, one request after another on each of `clients` loops, until
 * stopped: a claim by a new user (the per-user limit never trips) to the provider, then the brand's
 * stats from the generator. Every answer that is not the expected status counts as a failure.
 */
function steadyClient(clients = 4) {
  let running = true;
  const failures: string[] = [];
  let answered = 0;
  const loop = async (n: number) => {
    for (let i = 0; running; i++) {
      const claim = i % 2 === 0;
      const [path, method, token] = claim
        ? ['/v1/brands/cluster-upgrade/claims', 'POST', await userToken(`u-upgrade-${n}-${i}`)]
        : ['/v1/brands/cluster-upgrade/stats', 'GET', adminToken];
      const expected = claim ? [201] : [200];
      try {
        const res = await gateway(path, { method, token, timeoutMs: 10_000 });
        if (!expected.includes(res.status))
          failures.push(`${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
      } catch (error) {
        failures.push(`${method} ${path}: ${String(error)}`);
      }
      answered++;
    }
  };
  const loops = Array.from({ length: clients }, (_, n) => loop(n));
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { answered, failures };
    },
  };
}

beforeAll(async () => {
  const created = await gateway('/v1/brands', {
    json: { id: 'cluster-upgrade', name: 'Upgrade' },
    token: adminToken,
  });
  expect(created.status).toBe(201);
  await gateway('/v1/brands/cluster-upgrade/codes', { json: { count: 2000 }, token: adminToken });
});

describe('helm upgrade, rollback and test', () => {
  it('an upgrade with a changed setting rolls every pod, and a client running through it sees no failure', async () => {
    const before = await podNames();
    expect(await logLevel('provider')).toBe('info');
    const client = steadyClient();
    await helm(['upgrade', release, ...UPGRADE_ARGS, '--set', 'settings.logLevel=debug'], {
      timeoutMs: 330_000,
    });
    const { answered, failures } = await client.stop();
    console.log(`helm upgrade under load: ${answered} requests answered, ${failures.length} failed`);

    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(10);
    expect(await logLevel('provider')).toBe('debug');
    const after = await podNames();
    expect(after).toHaveLength(before.length);
    expect(after.filter((name) => before.includes(name))).toEqual([]);
  }, 360_000);

  it('helm rollback returns to the first revision and its setting, rolling the pods again', async () => {
    const before = await podNames();
    await helm(['rollback', release, '1', '-n', namespace, '--wait', '--timeout', '5m'], {
      timeoutMs: 330_000,
    });
    expect(await logLevel('provider')).toBe('info');
    const history = JSON.parse(await helm(['history', release, '-n', namespace, '-o', 'json'])) as Array<{
      revision: number;
      status: string;
    }>;
    expect(history.map((h) => [h.revision, h.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);
    expect((await podNames()).filter((name) => before.includes(name))).toEqual([]);
  }, 360_000);

  it('helm test runs the chart test pods, which find both apps ready', async () => {
    const out = await helm(['test', release, '-n', namespace, '--timeout', '3m'], { timeoutMs: 200_000 });
    const phases = [...out.matchAll(/^TEST SUITE:\s+(\S+)\n.*?Phase:\s+(\S+)/gms)].map((m) => [m[1], m[2]]);
    expect(phases.length).toBeGreaterThanOrEqual(2);
    for (const [, phase] of phases) expect(phase).toBe('Succeeded');
  }, 240_000);
});
