/**
 * NetworkPolicies enforced, as in a user's cluster with a policy-enforcing network: the local
 * cluster runs kube-router as its NetworkPolicy controller (tools/cluster/addons.sh), the chart's
 * policies are on (deploy/local/values.yaml) and deploy/local lets only the apps into MongoDB and
 * NATS (deploy/local/network-policy.yaml). Every "blocked" is checked against a control that the
 * same target does answer an allowed peer, so a refusal proves the policy and not a dead port.
 * Read-only for the release: probes are short-lived pods of this spec and execs into the apps.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { gateway, installation, kubectl, kubectlJson, waitFor } from './support/cluster';
import { clusterIp, createBrand, getText, userToken } from './support/flows';
import {
  BLOCKED,
  deleteProbePods,
  probeFrom,
  probeFromNode,
  probeUntil,
  startProbePod,
  type ProbeOutcome,
} from './support/probes';

const { namespace } = installation();
const RUN = Date.now().toString(36);
const PROBE_LABELS = { 'discounts-test/probe': 'network-policy' };
const APP_SELECTOR = 'app.kubernetes.io/name=discounts,app.kubernetes.io/instance=discounts';
const probePods: string[] = [];

interface AppPod {
  name: string;
  ip: string;
  httpPort: number;
}

interface PodWithPorts {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { containers: Array<{ ports?: Array<{ name?: string; containerPort: number }> }> };
  status: { podIP?: string; conditions?: Array<{ type: string; status: string }> };
}

/** A Ready pod of the app, with its address and the container's http port. */
async function appPod(component: 'generator' | 'provider'): Promise<AppPod> {
  const list = await kubectlJson<{ items: PodWithPorts[] }>([
    'get',
    'pods',
    '-n',
    namespace,
    '-l',
    `${APP_SELECTOR},app.kubernetes.io/component=${component}`,
  ]);
  const pod = list.items.find(
    (p) =>
      !p.metadata.deletionTimestamp &&
      p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  if (!pod?.status.podIP) throw new Error(`no Ready ${component} pod in ${namespace}`);
  const http = pod.spec.containers[0]?.ports?.find((p) => p.name === 'http');
  if (!http) throw new Error(`${pod.metadata.name} declares no http port`);
  return { name: pod.metadata.name, ip: pod.status.podIP, httpPort: http.containerPort };
}

async function servicePort(name: string): Promise<number> {
  return Number(
    await kubectl(['get', 'service', '-n', namespace, name, '-o', 'jsonpath={.spec.ports[0].port}']),
  );
}

const expectBlocked = (outcomes: ProbeOutcome[]) =>
  outcomes.forEach((outcome) => expect(outcome).toMatch(BLOCKED));

afterAll(() => deleteProbePods(namespace, probePods));

describe('the NetworkPolicy controller', () => {
  it("kube-router runs on the node and the chart's and deploy/local's policies are in place", async () => {
    const ds = await kubectlJson<{ status: { desiredNumberScheduled: number; numberReady: number } }>([
      'get',
      'daemonset',
      '-n',
      'kube-system',
      'kube-router',
    ]);
    expect(ds.status.desiredNumberScheduled).toBeGreaterThan(0);
    expect(ds.status.numberReady).toBe(ds.status.desiredNumberScheduled);
    const policies = await kubectl(['get', 'networkpolicy', '-n', namespace, '-o', 'name']);
    expect(policies.trim().split('\n').sort()).toEqual(
      expect.arrayContaining([
        'networkpolicy.networking.k8s.io/discounts-generator',
        'networkpolicy.networking.k8s.io/discounts-mongodb',
        'networkpolicy.networking.k8s.io/discounts-nats',
        'networkpolicy.networking.k8s.io/discounts-provider',
      ]),
    );
  });
});

describe('the apps never open HTTP to each other', () => {
  it("the provider cannot reach the generator's Service or pod; the node and NATS answer", async () => {
    const [provider, generator] = await Promise.all([appPod('provider'), appPod('generator')]);
    const service = {
      host: await clusterIp('discounts-generator'),
      port: await servicePort('discounts-generator'),
      path: '/health/live',
    };
    const pod = { host: generator.ip, port: generator.httpPort, path: '/health/live' };
    // Controls: the generator answers the node on both addresses, and the provider's network works.
    expect([await probeFromNode(service), await probeFromNode(pod)]).toEqual(['http 200', 'http 200']);
    const nats = { host: await clusterIp('discounts-nats'), port: 4222 };
    const outcomes = await probeFrom(namespace, provider.name, [service, pod, nats]);
    console.log(`provider ${provider.name} -> generator Service, pod, NATS: ${JSON.stringify(outcomes)}`);
    expectBlocked(outcomes.slice(0, 2));
    expect(outcomes[2]).toBe('connected');
  });
});

describe("MongoDB and NATS let in only the apps' pods", () => {
  it("a pod without the apps' labels cannot open either Service; the same pod with them can", async () => {
    const appLabels = {
      ...PROBE_LABELS,
      // The labels deploy/local's policies name; no instance label, so no Service of the release
      // and none of its policies takes this pod for one of the release's own.
      'app.kubernetes.io/name': 'discounts',
      'app.kubernetes.io/component': 'provider',
    };
    const [plain, labelled] = await Promise.all([
      startProbePod({ name: `np-plain-${RUN}`, namespace, labels: PROBE_LABELS }),
      startProbePod({ name: `np-app-${RUN}`, namespace, labels: appLabels }),
    ]);
    probePods.push(plain.name, labelled.name);
    const targets = [
      { host: await clusterIp('discounts-mongodb'), port: 27017 },
      { host: await clusterIp('discounts-nats'), port: 4222 },
    ];
    const allowed = await probeUntil(
      'the labelled probe to open MongoDB and NATS',
      namespace,
      labelled.name,
      targets,
      (o) => o.every((outcome) => outcome === 'connected'),
    );
    const denied = await probeFrom(namespace, plain.name, targets);
    console.log(
      `MongoDB, NATS from a labelled pod: ${JSON.stringify(allowed)}; unlabelled: ${JSON.stringify(denied)}`,
    );
    expectBlocked(denied);
  }, 180_000);
});

describe('the apps still reach DNS, MongoDB and NATS', () => {
  it('both apps are ready, names resolve inside them, and a claim through the gateway works', async () => {
    const pods = await Promise.all([appPod('generator'), appPod('provider')]);
    for (const pod of pods)
      expect(await probeFromNode({ host: pod.ip, port: pod.httpPort, path: '/health/ready' })).toBe(
        'http 200',
      );
    const mongodbIp = await clusterIp('discounts-mongodb');
    for (const pod of pods) {
      const [lookup] = await probeFrom(namespace, pod.name, [
        { lookup: `discounts-mongodb.${namespace}.svc.cluster.local` },
      ]);
      expect(lookup).toBe(`resolved ${mongodbIp}`);
    }

    const brand = `np-claims-${RUN}`;
    const key = await createBrand(brand);
    // On the stand-in a batch's answer waits for its size check, a count over the whole
    // collection: with 05's 50,000 codes stored, that can take more than half a minute.
    const batch = await gateway(`/v1/brands/${brand}/codes`, {
      json: { count: 5 },
      token: key,
      timeoutMs: 120_000,
    });
    expect(batch.status).toBe(201);
    const claimed = await gateway<{ code: string }>(`/v1/brands/${brand}/claims`, {
      method: 'POST',
      token: await userToken(`u-np-${RUN}`),
    });
    expect(claimed.status).toBe(201);
  }, 240_000);
});

describe('webhooks go only where the policy lets the generator', () => {
  it('a delivery reaches the allowed receiver', async () => {
    const brand = `np-hooks-${RUN}`;
    const key = await createBrand(brand);
    const url = `http://webhook-receiver.${namespace}.svc.cluster.local/hooks/${brand}`;
    const patched = await gateway(`/v1/brands/${brand}`, {
      method: 'PATCH',
      json: { webhook: { url, secret: 'whsec_network-policy-0123456789abcdef' } },
      token: key,
    });
    expect(patched.status).toBe(200);
    await gateway(`/v1/brands/${brand}/codes`, { json: { count: 2 }, token: key, timeoutMs: 120_000 });
    const claimed = await gateway<{ code: string }>(`/v1/brands/${brand}/claims`, {
      method: 'POST',
      token: await userToken(`u-np-hook-${RUN}`),
    });
    expect(claimed.status).toBe(201);
    const receiver = await clusterIp('webhook-receiver');
    await waitFor('the webhook delivery', 60_000, async () => {
      const received = JSON.parse(await getText(receiver, 80, '/received')) as Array<{
        path: string;
        headers: IncomingHttpHeaders;
        body: string;
      }>;
      return received.find((r) => r.path === `/hooks/${brand}` && r.body.includes(claimed.body.code));
    });
  }, 240_000);

  it("a receiver's port the policy does not name stays closed to the generator", async () => {
    // Labelled as the receiver (networkPolicy.egress.webhooks.to), listening on an allowed port
    // (8080) and another (9090). It declares no ports, so the receiver's Service (targetPort
    // "http") never sends it anything.
    const listen =
      "for (const p of [8080, 9090]) require('node:http').createServer((q, s) => s.end('ok')).listen(p)";
    const second = await startProbePod({
      name: `np-receiver-${RUN}`,
      namespace,
      labels: { ...PROBE_LABELS, 'app.kubernetes.io/name': 'webhook-receiver' },
      command: ['node', '-e', listen],
      readyPort: 9090,
    });
    probePods.push(second.name);
    const generator = await appPod('generator');
    const open = { host: second.ip, port: 8080 };
    const closed = { host: second.ip, port: 9090 };
    expect(await probeFromNode(closed)).toBe('connected');
    await probeUntil(
      'the generator to open the receiver on 8080',
      namespace,
      generator.name,
      [open],
      (o) => o[0] === 'connected',
    );
    const outcomes = await probeFrom(namespace, generator.name, [closed]);
    console.log(`generator -> receiver :8080 connected, :9090 ${outcomes[0]}`);
    expectBlocked(outcomes);
  }, 180_000);
});
