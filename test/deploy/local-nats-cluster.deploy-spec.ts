/**
 * deploy/local-nats-cluster: deploy/local with NATS as a 3-node JetStream cluster, which the
 * cluster tier's operating specs run (test/cluster/support/chaos-release.ts). Checked as kubectl
 * builds it: three servers started together, each named after its pod and routing to all three
 * through a headless Service that lists them before they are ready, and the rest of deploy/local
 * unchanged.
 */
import { join } from 'node:path';
import type { IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IService } from 'kubernetes-models/v1';
import { findObject, REPO_ROOT, type K8sObject } from './support/helm';
import { validateAll } from './support/k8s-schemas';
import { buildKustomization } from './support/kustomize';

const LOCAL_DIR = join(REPO_ROOT, 'deploy', 'local');
const ids = (list: readonly K8sObject[]) => list.map((o) => `${o.kind}/${o.metadata.name}`).sort();

describe('deploy/local-nats-cluster', () => {
  const single = buildKustomization(LOCAL_DIR);
  const clustered = buildKustomization(join(REPO_ROOT, 'deploy', 'local-nats-cluster'));
  const nats = findObject(clustered, 'StatefulSet', 'discounts-nats') as unknown as IStatefulSet;
  const container = nats.spec!.template.spec!.containers[0]!;

  it("is deploy/local plus the servers' headless Service", () => {
    expect(ids(clustered)).toEqual([...ids(single), 'Service/discounts-nats-peers'].sort());
    expect(() => validateAll(clustered)).not.toThrow();
  });

  it('runs three servers, started together, found by name through the headless Service', () => {
    expect(nats.spec).toMatchObject({
      replicas: 3,
      podManagementPolicy: 'Parallel',
      serviceName: 'discounts-nats-peers',
    });
    const peers = findObject(clustered, 'Service', 'discounts-nats-peers') as unknown as IService;
    expect(peers.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(peers.spec!.selector).toEqual(nats.spec!.selector.matchLabels);
    expect(container.ports).toEqual(expect.arrayContaining([{ name: 'cluster', containerPort: 6222 }]));
  });

  it("keeps deploy/local's login and JetStream, and names each server after its pod with a route to every pod", () => {
    const args = container.args!;
    const singleNats = findObject(single, 'StatefulSet', 'discounts-nats') as unknown as IStatefulSet;
    expect(args).toEqual(expect.arrayContaining(singleNats.spec!.template.spec!.containers[0]!.args!));
    expect(args).toEqual(
      expect.arrayContaining([
        '--server_name=$(POD_NAME)',
        '--cluster_name=discounts',
        '--cluster=nats://0.0.0.0:6222',
      ]),
    );
    const routes = args
      .find((a) => a.startsWith('--routes='))!
      .slice('--routes='.length)
      .split(',');
    expect(routes).toEqual([0, 1, 2].map((i) => `nats://discounts-nats-${i}.discounts-nats-peers:6222`));
    expect(container.env).toEqual(
      expect.arrayContaining([{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
    );
  });
});
