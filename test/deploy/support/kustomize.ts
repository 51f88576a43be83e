/** The kustomizations under deploy/: their files, and what kubectl makes of them. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseYamlDocuments, REPO_ROOT, type K8sObject } from './helm';

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  patches?: Array<{ patch?: string }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
}

/** The names kustomize accepts for a kustomization file; a directory may hold only one. */
const FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function kustomizationFile(dir: string): string {
  const found = FILE_NAMES.map((name) => join(dir, name)).filter((file) => existsSync(file));
  if (found.length !== 1)
    throw new Error(`${dir}: expected one of ${FILE_NAMES.join(', ')}, found ${found.length}`);
  return found[0]!;
}

export function readKustomization(dir: string): Kustomization {
  const file = kustomizationFile(dir);
  const kustomization = parse(readFileSync(file, 'utf8')) as Kustomization;
  if (kustomization.kind !== undefined && kustomization.kind !== 'Kustomization') {
    throw new Error(`${file}: kind ${kustomization.kind}`);
  }
  return kustomization;
}

/**
 * `kubectl kustomize <dir>` with the local cluster's pinned kubectl (KUBECTL_BIN, set by the deploy
 * tier's global setup from tools/cluster/build.sh), so the tests read what kubectl applies.
 */
export function buildKustomization(dir: string): K8sObject[] {
  const kubectl = process.env.KUBECTL_BIN;
  if (!kubectl)
    throw new Error(
      'KUBECTL_BIN is not set: run this test through jest.deploy.config.js (npm run test:deploy)',
    );
  const result = spawnSync(kubectl, ['kustomize', dir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return parseYamlDocuments(result.stdout, `kubectl kustomize ${dir}`);
}

interface PodSpecLike {
  containers?: Array<{ image: string }>;
  initContainers?: Array<{ image: string }>;
}

interface WorkloadSpec {
  template?: { spec?: PodSpecLike };
  jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } };
}

/** The pod spec of a Pod, or of a workload's pod template. */
export function podSpecOf(object: K8sObject): PodSpecLike | undefined {
  if (object.kind === 'Pod') return object.spec as PodSpecLike;
  const spec = object.spec as WorkloadSpec | undefined;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}

/** Every container and init container among the objects' pods. */
export function containersOf(objects: readonly K8sObject[]): Array<{ image: string }> {
  return objects.flatMap((o) => {
    const pod = podSpecOf(o);
    return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
  });
}
