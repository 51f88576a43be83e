/**
 * Installs the system into the running local cluster the way a user would, once for the tier:
 * a fresh namespace holding Services whose names match settings' prefixes (Kubernetes' service
 * links would turn them into METRICS_PORT=tcp://… and the like), the local dependencies
 * (deploy/local: NATS and the FerretDB stand-in), an in-cluster webhook receiver, then
 * `helm install --wait` of the chart with deploy/local/values.yaml. What the specs need is written
 * to INSTALLATION_FILE.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLUSTER,
  gateway,
  helm,
  INSTALLATION_FILE,
  kubectl,
  REPO_ROOT,
  secretValue,
  waitFor,
  type Installation,
} from './cluster';

const NAMESPACE = 'discounts-test';
const RELEASE = 'discounts';
const HOST = 'discounts.local';
const COLLIDING_SERVICES = ['metrics', 'mongodb', 'nats', 'generator', 'provider'];

function collidingService(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NAMESPACE },
    spec: { selector: { 'discounts-test/none': name }, ports: [{ port: 80 }] },
  });
}

export default async function globalSetup(): Promise<void> {
  console.log(
    `\ncluster tier: kubeconfig ${CLUSTER.kubeconfig}, gateway http://${CLUSTER.nodeIp}:${CLUSTER.gatewayPort}`,
  );
  await kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait', '--timeout=120s']);
  await kubectl(['create', 'namespace', NAMESPACE]);
  for (const name of COLLIDING_SERVICES)
    await kubectl(['apply', '-f', '-'], { input: collidingService(name) });

  await kubectl(['apply', '-n', NAMESPACE, '-k', join(REPO_ROOT, 'deploy', 'local')]);
  await kubectl([
    'apply',
    '-n',
    NAMESPACE,
    '-f',
    join(REPO_ROOT, 'test', 'cluster', 'fixtures', 'webhook-receiver.yaml'),
  ]);
  await kubectl(['rollout', 'status', '-n', NAMESPACE, 'statefulset/discounts-nats', '--timeout=180s']);
  await kubectl(['rollout', 'status', '-n', NAMESPACE, 'deployment/webhook-receiver', '--timeout=180s']);
  await kubectl([
    'wait',
    '-n',
    NAMESPACE,
    '--for=condition=Ready',
    'pod',
    '-l',
    'app.kubernetes.io/name=discounts-mongodb',
    '--timeout=180s',
  ]);

  const started = Date.now();
  await helm(
    [
      'install',
      RELEASE,
      'helm/discounts',
      '-n',
      NAMESPACE,
      '-f',
      'deploy/local/values.yaml',
      '--wait',
      '--timeout',
      '5m',
    ],
    { timeoutMs: 330_000 },
  );
  const installSeconds = (Date.now() - started) / 1000;
  console.log(`cluster tier: helm install --wait took ${installSeconds.toFixed(1)} s`);
  // Ready pods are not yet a route: Traefik answers 404 (no route) or 503 (no endpoints) until it
  // has caught up. Each app's own 401 for a request without credentials says the route is there.
  const appRoutes: Array<[method: string, path: string]> = [
    ['GET', '/v1/brands/any/stats'],
    ['POST', '/v1/brands/any/claims'],
  ];
  for (const [method, path] of appRoutes) {
    await waitFor(`the gateway to route ${method} ${path} to the release`, 60_000, async () =>
      (await gateway(path, { method }, HOST)).status === 401 ? true : undefined,
    );
  }

  const secret = `${RELEASE}-secrets`;
  const installed: Installation = {
    namespace: NAMESPACE,
    release: RELEASE,
    host: HOST,
    adminTokens: {
      generator: await secretValue(NAMESPACE, secret, 'GENERATOR_ADMIN_TOKEN'),
      provider: await secretValue(NAMESPACE, secret, 'PROVIDER_ADMIN_TOKEN'),
    },
    jwtSecret: await secretValue(NAMESPACE, secret, 'JWT_SECRET'),
    installSeconds,
    collidingServices: COLLIDING_SERVICES,
  };
  writeFileSync(INSTALLATION_FILE, JSON.stringify(installed, null, 2), { mode: 0o600 });
}
