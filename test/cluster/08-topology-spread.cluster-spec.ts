/**
 * The chart's topology spread on this cluster's node, which (like many single-node and on-premises
 * clusters) carries no topology.kubernetes.io/zone label. The chart's Deployments (and their
 * ServiceAccounts) are rendered with each setting and applied to a scratch namespace: scheduling
 * is all that is asked of them. Requiring the zone spread (the former single setting did that for both keys) leaves every pod
 * Pending; the defaults, and a required hostname spread, schedule.
 */
import { join } from 'node:path';
import {
  helm,
  kubectl,
  kubectlJson,
  REPO_ROOT,
  scratchNamespace,
  waitFor,
  type Pod,
} from './support/cluster';

const NAMESPACE = 'discounts-spread';
const CHART = join(REPO_ROOT, 'helm', 'discounts');

scratchNamespace(NAMESPACE);

/** The chart's Deployments of release `release` with `set`, applied; resolves to their pods once each is decided. */
async function deploy(release: string, set: string[]): Promise<Pod[]> {
  const manifests = await helm([
    'template',
    release,
    CHART,
    '-n',
    NAMESPACE,
    '--values',
    join(REPO_ROOT, 'deploy', 'local', 'values.yaml'),
    // Their ServiceAccounts too: without them the ReplicaSets may create no pod at all.
    '--show-only',
    'templates/serviceaccount.yaml',
    '--show-only',
    'templates/deployment.yaml',
    ...set.flatMap((s) => ['--set', s]),
  ]);
  await kubectl(['apply', '-n', NAMESPACE, '-f', '-'], { input: manifests });
  return waitFor(`the pods of ${release} scheduled or refused`, 60_000, async () => {
    const { items } = await kubectlJson<{ items: Pod[] }>([
      'get',
      'pods',
      '-n',
      NAMESPACE,
      '-l',
      `app.kubernetes.io/instance=${release}`,
    ]);
    const decided = items.filter((pod) =>
      pod.status.conditions?.some(
        (c) => c.type === 'PodScheduled' && (c.status === 'True' || c.reason === 'Unschedulable'),
      ),
    );
    // 2 generators and 2 providers (deploy/local/values.yaml).
    return items.length === 4 && decided.length === 4 ? items : undefined;
  });
}

const scheduled = (pods: Pod[]) =>
  pods.map((pod) => pod.status.conditions!.find((c) => c.type === 'PodScheduled')!.status);

it('the node has no zone label (the case this is about)', async () => {
  const labels = await kubectl(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.labels}']);
  expect(labels).not.toContain('topology.kubernetes.io/zone');
});

it('a required zone spread leaves every pod Pending: the node lacks the label', async () => {
  const pods = await deploy('spread-zone', ['topologySpread.zone.whenUnsatisfiable=DoNotSchedule']);
  expect(scheduled(pods)).toEqual(['False', 'False', 'False', 'False']);
  const messages = pods.map((pod) => JSON.stringify(pod.status.conditions));
  for (const message of messages) expect(message).toContain('missing required label');
});

it.each([
  ['the defaults', []],
  ['a required hostname spread', ['topologySpread.hostname.whenUnsatisfiable=DoNotSchedule']],
])('%s: every pod is scheduled', async (_label, set) => {
  const release = set.length === 0 ? 'spread-default' : 'spread-hostname';
  expect(scheduled(await deploy(release, set))).toEqual(['True', 'True', 'True', 'True']);
});
