/**
 * The chart's `helm test` pods: rendered for both apps, locked down like the apps, and their script
 * run against a real HTTP server.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPod, IService } from 'kubernetes-models/v1';
import { findObject, ofKind, render } from './support/helm';
import { asDeployment, onlyContainer, podSpecOf } from './support/pod-env';

const APPS = ['generator', 'provider'] as const;
/** The local cluster's values (tools/cluster), relative to the chart as the other values files. */
const LOCAL_VALUES = '../../deploy/local/values.yaml';

describe('helm test pods', () => {
  const objects = render();
  const testPod = (app: string) => findObject(objects, 'Pod', `discounts-${app}-test`) as unknown as IPod;
  const scriptOf = (pod: IPod) => {
    const command = pod.spec!.containers[0]!.command!;
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command).toHaveLength(4);
    return { script: command[2]!, url: new URL(command[3]!) };
  };

  it.each(APPS)('%s: a test hook, deleted when it passes or before the next run', (app) => {
    const pod = testPod(app);
    expect(pod.metadata!.annotations).toEqual({
      'helm.sh/hook': 'test',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    expect(pod.spec!.restartPolicy).toBe('Never');
    expect(pod.spec!.containers).toHaveLength(1);
  });

  it.each(APPS)("%s: asks the app's Service for /health/ready", (app) => {
    const { url } = scriptOf(testPod(app));
    const service = findObject(objects, 'Service', `discounts-${app}`) as unknown as IService;
    expect(url.hostname).toBe(service.metadata!.name);
    expect(Number(url.port)).toBe(service.spec!.ports![0]!.port);
    expect(url.pathname).toBe('/health/ready');
  });

  it.each(APPS)(
    "%s: the app's image and pull policy, the chart's security contexts, small resources",
    (app) => {
      const pod = testPod(app);
      const deployment = findObject(objects, 'Deployment', `discounts-${app}`);
      const appContainer = onlyContainer(deployment);
      const container = pod.spec!.containers[0]!;
      expect(container.image).toBe(appContainer.image);
      expect(container.imagePullPolicy).toBe(appContainer.imagePullPolicy);
      expect(pod.spec!.securityContext).toEqual(podSpecOf(deployment).securityContext);
      expect(container.securityContext).toEqual(appContainer.securityContext);
      expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
      expect(pod.spec!.automountServiceAccountToken).toBe(false);
      expect(pod.spec!.enableServiceLinks).toBe(false);
      expect(container.resources).toEqual({
        requests: { cpu: '10m', memory: '48Mi' },
        limits: { memory: '128Mi' },
      });
    },
  );

  it('with the local values, the local images, never pulled', () => {
    const local = render({ valuesFiles: [LOCAL_VALUES] });
    for (const app of APPS) {
      const container = (findObject(local, 'Pod', `discounts-${app}-test`) as unknown as IPod).spec!
        .containers[0]!;
      expect(container.image).toBe(`localhost/discounts-${app}:dev`);
      expect(container.imagePullPolicy).toBe('Never');
    }
  });

  it("are not one of the app's pods: no Service, Deployment, PDB or spread constraint selects them", () => {
    const all = render({ valuesFiles: ['ci/replicas-values.yaml'] });
    const selectors = [
      ...ofKind(all, 'Service').map((s) => (s as unknown as IService).spec!.selector!),
      ...ofKind(all, 'Deployment').map((d) => asDeployment(d).spec!.selector.matchLabels!),
      ...ofKind(all, 'PodDisruptionBudget').map(
        (p) => (p.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
      ),
      ...ofKind(all, 'Deployment').flatMap((d) =>
        (podSpecOf(d).topologySpreadConstraints ?? []).map((c) => c.labelSelector!.matchLabels!),
      ),
    ];
    for (const pod of ofKind(all, 'Pod')) {
      for (const selector of selectors) {
        const selected = Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v);
        expect({ pod: pod.metadata.name, selector, selected }).toEqual({
          pod: pod.metadata.name,
          selector,
          selected: false,
        });
      }
    }
  });

  it("are let in by the apps' NetworkPolicies", () => {
    const all = render({ set: ['networkPolicy.enabled=true'] });
    for (const app of APPS) {
      const policy = findObject(all, 'NetworkPolicy', `discounts-${app}`) as unknown as INetworkPolicy;
      const labels = findObject(all, 'Pod', `discounts-${app}-test`).metadata.labels!;
      const admitted = policy.spec!.ingress!.some((rule) =>
        (rule.from ?? []).some(
          (peer) =>
            !peer.namespaceSelector &&
            !peer.ipBlock &&
            Object.entries(peer.podSelector?.matchLabels ?? { none: 'none' }).every(
              ([k, v]) => labels[k] === v,
            ),
        ),
      );
      expect(admitted).toBe(true);
    }
  });

  /** Runs the pod's script with this machine's node against a server answering `statuses` in turn. */
  const runScript = async (statuses: number[], deadlineMs: number) => {
    let calls = 0;
    const server = createServer((_req, res) => {
      res.statusCode = statuses[Math.min(calls++, statuses.length - 1)]!;
      res.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const { script } = scriptOf(testPod('generator'));
    const fast = script.replace('Date.now() + 30000', `Date.now() + ${deadlineMs}`);
    expect(fast).not.toBe(script);
    try {
      return await new Promise<{ code: number | null; out: string }>((done, fail) => {
        const child = spawn(process.execPath, ['-e', fast, `http://127.0.0.1:${port}/health/ready`]);
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', fail);
        child.on('close', (code) => done({ code, out }));
      });
    } finally {
      server.close();
    }
  };

  it('the script passes once the app answers 200, after a 503', async () => {
    const { code, out } = await runScript([503, 200], 10_000);
    expect(out).toContain('/health/ready: 200');
    expect(code).toBe(0);
  });

  it('the script fails when the app never answers 200', async () => {
    const { code, out } = await runScript([503], 1_000);
    expect(out).toContain('HTTP 503');
    expect(code).toBe(1);
  });
});
