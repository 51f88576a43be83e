/**
 * skaffold as a developer uses it against the local cluster (tools/cluster/skaffold.sh, profile
 * `local`): `render` shows what would be applied, `run` builds both images with buildah, imports
 * them, deploys deploy/local and the chart and waits for them, and `delete` removes it all. In a
 * namespace of its own, after the tier's release is gone (its HTTPRoute names the same host).
 */
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { gateway, kubectl, podsOf, REPO_ROOT, run, type RunOptions } from './support/cluster';

const NAMESPACE = 'discounts-skaffold';
const TAG = 'skaffold-test';
const skaffold = (args: readonly string[], opts?: RunOptions) =>
  run('bash', [join(REPO_ROOT, 'tools/cluster/skaffold.sh'), ...args], { timeoutMs: 900_000, ...opts });

interface Doc {
  kind: string;
  metadata: { name: string };
  spec?: { template?: { spec?: { containers?: Array<{ image: string }> } } };
}

beforeAll(async () => {
  await kubectl(['create', 'namespace', NAMESPACE]);
});

afterAll(async () => {
  await kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait', '--timeout=120s']);
}, 180_000);

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

it('skaffold run -p local builds, imports and deploys; the gateway reaches it; skaffold delete removes it', async () => {
  await skaffold(['run', '-p', 'local', `--tag=${TAG}`, '-n', NAMESPACE, '--status-check=true']);
  const pods = await podsOf(NAMESPACE, 'app.kubernetes.io/instance=discounts');
  expect(pods.map((p) => p.spec.containers[0]!.image).sort()).toEqual([
    `discounts-generator:${TAG}`,
    `discounts-generator:${TAG}`,
    `discounts-provider:${TAG}`,
  ]);
  // An answer of the skaffold release's apps: a wrong admin token is refused by each of them.
  const brand = await gateway('/v1/brands', {
    json: { id: 'skaffold', name: 'x' },
    token: 'not-the-admin-token-0123',
  });
  expect(brand.status).toBe(401);
  const user = await gateway('/v1/users', { json: {}, token: 'not-the-admin-token-0123' });
  expect(user.status).toBe(401);

  await skaffold(['delete', '-p', 'local', '-n', NAMESPACE]);
  const left = await kubectl([
    'get',
    'deployments,statefulsets,services,httproutes',
    '-n',
    NAMESPACE,
    '-o',
    'name',
  ]);
  expect(left.trim()).toBe('');
}, 900_000);
