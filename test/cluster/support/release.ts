/**
 * A release of the chart beside the tier's own, installed as a user would into a namespace of its
 * own: deploy/local's dependencies (or another kustomization of them), the in-cluster webhook
 * receiver, then `helm install --wait` with deploy/local/values.yaml and the spec's values, on a
 * host of its own on the shared gateway.
 */
import { join } from 'node:path';
import { helm, kubectl, REPO_ROOT, routesReady, secretValue } from './cluster';
import type { Release } from './flows';

export interface ReleaseSpec {
  readonly namespace: string;
  readonly release: string;
  /** The HTTPRoute's hostname, which the values file must set too. */
  readonly host: string;
  /** Values files over deploy/local/values.yaml, relative to the repository. */
  readonly valuesFiles: readonly string[];
  /** The dependencies' kustomization, relative to the repository. */
  readonly dependencies?: string;
}

/** Applies the dependencies into the (existing) namespace and installs the release; resolves to it. */
export async function installRelease(spec: ReleaseSpec): Promise<Release> {
  const { namespace } = spec;
  await kubectl(['apply', '-n', namespace, '-k', join(REPO_ROOT, spec.dependencies ?? 'deploy/local')]);
  await kubectl([
    'apply',
    '-n',
    namespace,
    '-f',
    join(REPO_ROOT, 'test/cluster/fixtures/webhook-receiver.yaml'),
  ]);
  await kubectl(['rollout', 'status', '-n', namespace, 'statefulset/discounts-nats', '--timeout=240s'], {
    timeoutMs: 260_000,
  });
  await kubectl(['rollout', 'status', '-n', namespace, 'deployment/webhook-receiver', '--timeout=180s'], {
    timeoutMs: 200_000,
  });
  await kubectl(
    [
      'wait',
      '-n',
      namespace,
      '--for=condition=Ready',
      'pod',
      '-l',
      'app.kubernetes.io/name=discounts-mongodb',
    ],
    { timeoutMs: 200_000 },
  );
  const values = ['deploy/local/values.yaml', ...spec.valuesFiles].flatMap((file) => ['-f', file]);
  await helm(
    ['install', spec.release, 'helm/discounts', '-n', namespace, ...values, '--wait', '--timeout', '5m'],
    {
      timeoutMs: 330_000,
    },
  );
  await routesReady(spec.host);
  return releaseOf(spec);
}

/** The chart's name for the release's objects (its fullname helper). */
export const fullnameOf = (release: string) =>
  release.includes('discounts') ? release : `${release}-discounts`;

/** What the specs need to call an installed release: its credentials, from the chart's Secret. */
export async function releaseOf(spec: Pick<ReleaseSpec, 'namespace' | 'release' | 'host'>): Promise<Release> {
  const secret = `${fullnameOf(spec.release)}-secrets`;
  const read = (key: string) => secretValue(spec.namespace, secret, key);
  return {
    namespace: spec.namespace,
    release: spec.release,
    host: spec.host,
    adminTokens: {
      generator: await read('GENERATOR_ADMIN_TOKEN'),
      provider: await read('PROVIDER_ADMIN_TOKEN'),
    },
    jwtSecret: await read('JWT_SECRET'),
  };
}
