/**
 * skaffold against the local cluster (tools/cluster/skaffold.sh, profile `local`): `render` shows
 * what `run` would apply, deploy/local's dependencies and the chart with the images it would build.
 * (`run -p local` is not proven here yet: see the cluster section of the README.)
 */
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, run, type RunOptions } from './support/cluster';

const NAMESPACE = 'discounts-skaffold';
const TAG = 'skaffold-test';
const skaffold = (args: readonly string[], opts?: RunOptions) =>
  run('bash', [join(REPO_ROOT, 'tools/cluster/skaffold.sh'), ...args], { timeoutMs: 900_000, ...opts });

interface Doc {
  kind: string;
  metadata: { name: string };
  spec?: { template?: { spec?: { containers?: Array<{ image: string }> } } };
}

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
