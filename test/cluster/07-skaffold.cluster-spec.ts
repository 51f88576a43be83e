/**
 * skaffold against the local cluster (tools/cluster/skaffold.sh, profile `local`), as a developer
 * uses it: `render` shows what `run` would apply; `run` builds both images with the custom build
 * script (buildah, imported into containerd, no push), deploys deploy/local's dependencies and,
 * once they are ready, the chart; the release then answers through the gateway and passes
 * `helm test`; `delete` takes it all away again. The gateway's host must be this release's
 * alone: the tier's own release (uninstalled by 06 already, in a full run) goes first.
 */
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  gateway,
  helm,
  installation,
  kubectl,
  podsOf,
  REPO_ROOT,
  run,
  scratchNamespace,
  secretValue,
  settled,
  waitFor,
  type RunOptions,
} from './support/cluster';

const NAMESPACE = 'discounts-skaffold';
const TAG = 'skaffold-test';
const HOST = 'discounts.local';
const RELEASE_PODS = 'app.kubernetes.io/instance=discounts';
const skaffold = (args: readonly string[], opts?: RunOptions) =>
  run('bash', [join(REPO_ROOT, 'tools/cluster/skaffold.sh'), ...args], { timeoutMs: 900_000, ...opts });

interface Doc {
  kind: string;
  metadata: { name: string };
  spec?: { template?: { spec?: { containers?: Array<{ image: string }> } } };
}

scratchNamespace(NAMESPACE);

beforeAll(async () => {
  const { namespace, release } = installation();
  await helm(['uninstall', release, '-n', namespace, '--ignore-not-found', '--wait', '--timeout', '3m'], {
    timeoutMs: 200_000,
  });
}, 220_000);

it('skaffold render -p local: the dependencies and the chart, with the images it would build', async () => {
  const out = await skaffold([
    'render',
    '-p',
    'local',
    '--digest-source=tag',
    `--tag=${TAG}`,
    '-n',
    NAMESPACE,
  ]);
  const docs = parseAllDocuments(out)
    .map((d) => d.toJS() as Doc)
    .filter(Boolean);
  const names = docs.map((d) => `${d.kind}/${d.metadata.name}`);
  expect(names).toEqual(
    expect.arrayContaining([
      'StatefulSet/discounts-nats',
      'Service/discounts-mongodb',
      'Deployment/discounts-generator',
      'Deployment/discounts-provider',
      'HTTPRoute/discounts',
    ]),
  );
  const images = docs.flatMap((d) => d.spec?.template?.spec?.containers?.map((c) => c.image) ?? []);
  expect(images).toEqual(expect.arrayContaining([`discounts-generator:${TAG}`, `discounts-provider:${TAG}`]));
}, 300_000);

describe('skaffold run -p local, then skaffold delete -p local', () => {
  it('run: both images built and imported, the dependencies ready before the chart, every pod Ready without a restart', async () => {
    const out = await skaffold(['run', '-p', 'local', '-n', NAMESPACE, `--tag=${TAG}`]);
    for (const app of ['generator', 'provider'])
      expect(out).toMatch(
        new RegExp(
          `images: skaffold-${app}: (imported as |already in containerd \\()\\S*discounts-${app}:${TAG}`,
        ),
      );
    // The dependencies' config is deployed and checked first: the apps never start without them.
    const dependenciesReady = out.indexOf('statefulset/discounts-mongodb is ready');
    expect(dependenciesReady).toBeGreaterThan(-1);
    expect(out.indexOf('statefulset/discounts-nats is ready')).toBeGreaterThan(-1);
    expect(out.indexOf('Helm release discounts not installed. Installing')).toBeGreaterThan(
      dependenciesReady,
    );

    const pods = await settled(NAMESPACE, RELEASE_PODS, 4); // deploy/local: 2 generators, 2 providers
    for (const pod of pods) {
      expect(pod.status.containerStatuses!.map((c) => c.restartCount)).toEqual([0]);
      // The image skaffold built, by the ID it derived the tag from.
      expect(pod.spec.containers[0]!.image).toMatch(/discounts-(generator|provider):[0-9a-f]{64}$/);
    }
  }, 900_000);

  it('the release answers through the gateway and passes helm test', async () => {
    const adminToken = await secretValue(NAMESPACE, 'discounts-secrets', 'GENERATOR_ADMIN_TOKEN');
    // Traefik picks the new route up from the API within moments.
    const created = await waitFor('the skaffold release behind the gateway', 60_000, async () => {
      const res = await gateway(
        '/v1/brands',
        { json: { id: 'skaffold', name: 'Skaffold' }, token: adminToken },
        HOST,
      );
      return res.status === 404 || res.status === 502 || res.status === 503 ? undefined : res;
    });
    expect(created.status).toBe(201);
    await helm(['test', 'discounts', '-n', NAMESPACE, '--timeout', '2m'], { timeoutMs: 150_000 });
  }, 240_000);

  it('delete: nothing of the release or its dependencies is left in the namespace', async () => {
    await skaffold(['delete', '-p', 'local', '-n', NAMESPACE]);
    await kubectl(['wait', '--for=delete', 'pod', '-n', NAMESPACE, '--all', '--timeout=120s'], {
      timeoutMs: 150_000,
    });
    const left = (
      await kubectl([
        'get',
        'deployments,statefulsets,services,pods,configmaps,secrets,serviceaccounts,httproutes,poddisruptionbudgets',
        '-n',
        NAMESPACE,
        '-o',
        'name',
      ])
    )
      .split('\n')
      .filter(
        (name) => name !== '' && name !== 'configmap/kube-root-ca.crt' && name !== 'serviceaccount/default',
      );
    expect(left).toEqual([]);
    expect(await podsOf(NAMESPACE, RELEASE_PODS)).toEqual([]);
  }, 300_000);
});
