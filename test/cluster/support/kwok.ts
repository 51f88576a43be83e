/**
 * Fake nodes beside the real one: kwok (built by tools/cluster/build.sh) runs on the host as their
 * kubelet, making the nodes this module creates Ready (with a lease, as real ones renew) and
 * every pod bound to them Running and Ready at once. Nothing runs in those pods: what is real is
 * the API server, the scheduler, the controllers, the HPA's bounds and the eviction API.
 *
 * The nodes carry kwok's taint, so only pods that tolerate it (fakePlacement) land there, and no
 * workload of the real node moves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CLUSTER, kubectl, kubectlJson, run, waitFor } from './cluster';

const FAKE = { key: 'kwok.x-k8s.io/node', value: 'fake' } as const;

export interface FakeNode {
  readonly name: string;
  readonly zone: string;
}

/** What a pod needs to be placed on the fake nodes only. */
export const fakePlacement = {
  nodeSelector: { type: 'kwok' },
  tolerations: [{ key: FAKE.key, operator: 'Equal', value: FAKE.value, effect: 'NoSchedule' }],
} as const;

/** kwok's stage files (what fake nodes and pods do, and how fast), from its module in Go's cache. */
async function stageFiles(): Promise<string[]> {
  const toolModule = join(__dirname, '..', '..', '..', 'tools', 'cluster', 'build', 'kwok');
  const dir = (
    await run('go', ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kwok'], { cwd: toolModule })
  ).trim();
  return [
    'node/fast/node-initialize.yaml',
    'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
    'pod/fast/pod-ready.yaml',
    'pod/fast/pod-complete.yaml',
    'pod/fast/pod-delete.yaml',
  ].map((file) => join(dir, 'kustomize', 'stage', file));
}

/**
 * Starts kwok for the nodes annotated as fake; resolves to a function that stops it (by its PID)
 * and deletes the nodes it managed.
 */
export async function startKwok(): Promise<() => Promise<void>> {
  const stages = await stageFiles();
  const kwok: ChildProcess = spawn(
    join(CLUSTER.toolBin, 'kwok'),
    [
      '--kubeconfig',
      CLUSTER.kubeconfig,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${FAKE.key}=${FAKE.value}`,
      // Its debugging server (logs, exec) has nothing to serve here.
      '--server-address=',
      '--node-lease-duration-seconds=40',
      // Addresses that lead nowhere off the machine (tools/cluster/lib/env.sh): the fake nodes
      // are the real node's address, the fake pods in the Service range's black hole.
      `--node-ip=${CLUSTER.nodeIp}`,
      `--cidr=${CLUSTER.fakePodCidr}`,
      ...stages.flatMap((file) => ['--config', file]),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  kwok.stderr!.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => kwok.once('exit', () => resolve()));
  return async () => {
    await kubectl(
      ['delete', 'nodes', '-l', 'type=kwok', '--ignore-not-found', '--wait=true', '--timeout=120s'],
      {
        timeoutMs: 150_000,
      },
    );
    if (kwok.exitCode === null) {
      kwok.kill('SIGTERM');
      await exited;
    } else if (kwok.exitCode !== 0) {
      throw new Error(`kwok exited with ${kwok.exitCode}:\n${log}`);
    }
  };
}

/** Creates `perZone` fake nodes in each zone (4 CPUs, 16 GiB, 110 pods each); resolves once all are Ready. */
export async function createFakeNodes(zones: readonly string[], perZone: number): Promise<FakeNode[]> {
  const nodes = zones.flatMap((zone) =>
    Array.from({ length: perZone }, (_, i) => ({
      name: `kwok-${zone}-${String(i + 1).padStart(2, '0')}`,
      zone,
    })),
  );
  const manifests = nodes.map(({ name, zone }) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [FAKE.key]: FAKE.value },
      labels: {
        type: 'kwok',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': zone,
      },
    },
    spec: { taints: [{ key: FAKE.key, value: FAKE.value, effect: 'NoSchedule' }] },
    status: {
      allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
    },
  }));
  await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests }),
  });
  await waitFor(`${nodes.length} fake nodes Ready`, 120_000, async () => {
    const { items } = await kubectlJson<{
      items: Array<{ status: { conditions?: Array<{ type: string; status: string }> } }>;
    }>(['get', 'nodes', '-l', 'type=kwok']);
    const ready = items.filter((n) =>
      n.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    return ready.length === nodes.length ? true : undefined;
  });
  return nodes;
}
