/**
 * Installs the system into the running local cluster the way a user would, once for the tier:
 * a fresh namespace holding Services whose names match settings' prefixes (Kubernetes' service
 * links would turn them into METRICS_PORT=tcp://… and the like), the local dependencies
 * (deploy/local: NATS and the FerretDB stand-in), an in-cluster webhook receiver, then
 * `helm install --wait` of the chart with deploy/local/values.yaml. What the specs need is written
 * to INSTALLATION_FILE.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLUSTER,
  helm,
  INSTALLATION_FILE,
  kubectl,
  REPO_ROOT,
  routesReady,
  secretValue,
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

/** The release this setup installed earlier is still deployed (a live cluster, test/cluster/run-live.sh). */
async function stillInstalled(): Promise<boolean> {
  if (!existsSync(INSTALLATION_FILE)) return false;
  const status = await helm(['status', RELEASE, '-n', NAMESPACE, '-o', 'json']).catch(() => '{}');
  return (JSON.parse(status) as { info?: { status?: string } }).info?.status === 'deployed';
}

export default async function globalSetup(): Promise<void> {
  console.log(
    `\ncluster tier: kubeconfig ${CLUSTER.kubeconfig}, gateway http://${CLUSTER.nodeIp}:${CLUSTER.gatewayPort}`,
  );
  if (process.env.CLUSTER_REUSE_INSTALLATION === '1' && (await stillInstalled())) {
    console.log(`cluster tier: reusing the release of ${INSTALLATION_FILE} (test/cluster/run-live.sh)`);
    return;
  }
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
  await routesReady(HOST);

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
