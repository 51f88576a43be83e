/**
 * deploy/local's NetworkPolicies, checked without a cluster: the dependencies let in only the
 * chart's apps (and NATS its own peers), and the chart's policies, on in the local values, let the
 * apps out to exactly the pods and ports of the local cluster (CoreDNS on its unprivileged port,
 * the webhook receiver's pod port). NetworkPolicy ports are the pods' own: the local cluster's
 * controller (kube-router) sees a connection after kube-proxy has translated the Service's port.
 * test/cluster/06-network-policy.cluster-spec.ts proves them enforced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findObject, ofKind, parseYamlDocuments, render, REPO_ROOT, type K8sObject } from './support/helm';
import { buildKustomization } from './support/kustomize';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Array<{ port: number | string; protocol?: string }>;
}
interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes: string[];
  ingress?: Rule[];
  egress?: Rule[];
}
type Labels = Record<string, string>;

/** The label selector semantics of the API (In, NotIn, Exists, DoesNotExist). */
function matches(selector: LabelSelector, labels: Labels): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    byLabel &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'In') return values.includes(labels[key]!);
      if (operator === 'NotIn') return !values.includes(labels[key]!);
      if (operator === 'Exists') return key in labels;
      return !(key in labels);
    })
  );
}

const spec = (objects: readonly K8sObject[], name: string) =>
  findObject(objects, 'NetworkPolicy', name).spec as PolicySpec;
const podLabels = (objects: readonly K8sObject[], kind: string, name: string) =>
  (findObject(objects, kind, name).spec as { template: { metadata: { labels: Labels } } }).template.metadata
    .labels;
const containerPorts = (objects: readonly K8sObject[], kind: string, name: string): number[] =>
  (
    findObject(objects, kind, name).spec as {
      template: { spec: { containers: Array<{ ports?: Array<{ containerPort: number }> }> } };
    }
  ).template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
const ports = (rule: Rule) => (rule.ports ?? []).map((p) => p.port);
/** The rule of `rules` that names `port`. */
const ruleFor = (rules: readonly Rule[] | undefined, port: number) => {
  const rule = (rules ?? []).find((r) => ports(r).includes(port));
  if (!rule) throw new Error(`no rule for port ${port}`);
  return rule;
};
const manifest = (path: string) => parseYamlDocuments(readFileSync(join(REPO_ROOT, path), 'utf8'), path);

const deps = buildKustomization(join(REPO_ROOT, 'deploy', 'local'));
const chart = render({ valuesFiles: [join('..', '..', 'deploy', 'local', 'values.yaml')] });
const APPS = ['generator', 'provider'] as const;
const appLabels = APPS.map((app) => podLabels(chart, 'Deployment', `discounts-${app}`));

describe("deploy/local's dependencies", () => {
  it.each([
    ['discounts-mongodb', 27017],
    ['discounts-nats', 4222],
  ])("%s: in only from the chart's apps, on the port its pod serves clients (%d)", (name, port) => {
    const policy = spec(deps, name);
    expect(policy.policyTypes).toEqual(['Ingress']);
    expect(matches(policy.podSelector, podLabels(deps, 'StatefulSet', name))).toBe(true);
    expect(containerPorts(deps, 'StatefulSet', name)).toContain(port);
    const from = ruleFor(policy.ingress, port).from!;
    expect(from.every((peer) => peer.podSelector && !peer.namespaceSelector && !peer.ipBlock)).toBe(true);
    const admitted = (labels: Labels) => from.some((peer) => matches(peer.podSelector!, labels));
    for (const labels of appLabels) expect(admitted(labels)).toBe(true);
    // Neither the chart's test pods nor any other pod of the namespace.
    expect(admitted({ ...appLabels[0]!, 'app.kubernetes.io/component': 'test' })).toBe(false);
    expect(admitted({ 'app.kubernetes.io/name': 'webhook-receiver' })).toBe(false);
    expect(admitted({})).toBe(false);
  });

  it('NATS: its pods reach each other on the route port of deploy/local-nats-cluster (6222), no one else', () => {
    const clustered = buildKustomization(join(REPO_ROOT, 'deploy', 'local-nats-cluster'));
    expect(containerPorts(clustered, 'StatefulSet', 'discounts-nats')).toContain(6222);
    const from = ruleFor(spec(clustered, 'discounts-nats').ingress, 6222).from!;
    const nats = podLabels(clustered, 'StatefulSet', 'discounts-nats');
    expect(from.some((peer) => matches(peer.podSelector!, nats))).toBe(true);
    expect(from.some((peer) => appLabels.some((labels) => matches(peer.podSelector!, labels)))).toBe(false);
  });
});

describe("the chart's policies with deploy/local/values.yaml", () => {
  const coredns = manifest('tools/cluster/manifests/coredns.yaml');
  const traefik = manifest('tools/cluster/manifests/traefik.yaml');
  const receiver = manifest('test/cluster/fixtures/webhook-receiver.yaml');

  it('are on, one per app, in only from the namespace Traefik runs in', () => {
    expect(ofKind(chart, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(
      APPS.map((app) => `discounts-${app}`),
    );
    const traefikNamespace = (
      findObject(traefik, 'Deployment', 'traefik').metadata as unknown as { namespace: string }
    ).namespace;
    for (const app of APPS) {
      const from = spec(chart, `discounts-${app}`).ingress![0]!.from!;
      expect(from).toContainEqual({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': traefikNamespace } },
      });
    }
  });

  it.each(APPS)('%s: out to the pods of CoreDNS, MongoDB and NATS on the ports they listen on', (app) => {
    const egress = spec(chart, `discounts-${app}`).egress!;
    for (const port of containerPorts(coredns, 'Deployment', 'coredns')) {
      const dns = ruleFor(egress, port);
      const coreDnsPod = podLabels(coredns, 'Deployment', 'coredns');
      expect(dns.to!.some((peer) => matches(peer.podSelector!, coreDnsPod))).toBe(true);
    }
    for (const [name, port] of [
      ['discounts-mongodb', 27017],
      ['discounts-nats', 4222],
    ] as const) {
      const to = ruleFor(egress, port).to!;
      expect(to.some((peer) => matches(peer.podSelector!, podLabels(deps, 'StatefulSet', name)))).toBe(true);
    }
  });

  it("generator: webhooks out to the receiver only, on its pod's port and on the Service port URLs name", () => {
    const service = findObject(receiver, 'Service', 'webhook-receiver').spec as {
      ports: Array<{ port: number }>;
    };
    const podPort = containerPorts(receiver, 'Deployment', 'webhook-receiver')[0]!;
    const egress = spec(chart, 'discounts-generator').egress!;
    const webhooks = ruleFor(egress, podPort);
    expect(ports(webhooks)).toEqual([service.ports[0]!.port, podPort]);
    expect(webhooks.to).toEqual([
      { podSelector: { matchLabels: podLabels(receiver, 'Deployment', 'webhook-receiver') } },
    ]);
    expect(spec(chart, 'discounts-provider').egress!.some((r) => ports(r).includes(podPort))).toBe(false);
  });
});
