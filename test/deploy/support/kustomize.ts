/**
 * The kustomizations under deploy/, built without kubectl: the few kustomize features they use
 * (resources as files or directories, inline `$patch: delete` patches, `images`) done here, and
 * any other field refused, so that a kustomization this cannot build fails instead of being
 * misread. Where the local cluster's pinned kubectl exists, the tests compare with
 * `kubectl kustomize` too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseYamlDocuments, REPO_ROOT, type K8sObject } from './helm';

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  patches?: Array<{ patch?: string }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
}

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'patches', 'images']);

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
  const unknown = Object.keys(kustomization).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) throw new Error(`${file}: fields this build does not do: ${unknown.join(', ')}`);
  if (kustomization.kind !== undefined && kustomization.kind !== 'Kustomization') {
    throw new Error(`${file}: kind ${kustomization.kind}`);
  }
  return kustomization;
}

const idOf = (o: K8sObject) => `${o.apiVersion}/${o.kind}/${o.metadata.name}`;

/** `kubectl kustomize <dir>`, for the subset described above. */
export function buildKustomization(dir: string): K8sObject[] {
  const kustomization = readKustomization(dir);
  const objects: K8sObject[] = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(dir, entry);
    let loaded: K8sObject[];
    if (statSync(path).isDirectory()) {
      loaded = buildKustomization(path);
    } else if (relative(dir, path).startsWith('..')) {
      throw new Error(`${dir}: kustomize reads no file outside its directory (${entry})`);
    } else {
      loaded = parseYamlDocuments(readFileSync(path, 'utf8'), path);
    }
    for (const object of loaded) {
      if (objects.some((o) => idOf(o) === idOf(object))) {
        throw new Error(`${dir}: ${idOf(object)} is there twice (kustomize refuses that)`);
      }
      objects.push(object);
    }
  }
  let result = objects;
  for (const { patch } of kustomization.patches ?? []) {
    const target = parse(patch ?? '') as K8sObject & { $patch?: string };
    if (target.$patch !== 'delete')
      throw new Error(`${dir}: only inline $patch: delete patches are done here`);
    const id = idOf(target);
    if (!result.some((o) => idOf(o) === id))
      throw new Error(`${dir}: the patch targets ${id}, which is not there`);
    result = result.filter((o) => idOf(o) !== id);
  }
  for (const image of kustomization.images ?? []) {
    for (const container of containersOf(result)) {
      const [name, tag] = splitImage(container.image);
      if (name !== image.name) continue;
      container.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
    }
  }
  return result;
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

/** "name[:tag]" → [name, tag]; a registry port ("localhost:5000/x") is not a tag. */
function splitImage(ref: string): [string, string | undefined] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, undefined];
}

/** The local cluster's pinned kubectl (tools/cluster/build.sh), when it has been built. */
export function pinnedKubectl(): string | undefined {
  const cache =
    process.env.DISCOUNTS_TOOL_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'discounts-tools');
  const bin = process.env.KUBECTL_BIN ?? join(cache, 'bin', 'kubectl');
  return existsSync(bin) ? bin : undefined;
}

export function kubectlKustomize(kubectl: string, dir: string): K8sObject[] {
  const result = spawnSync(kubectl, ['kustomize', dir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return parseYamlDocuments(result.stdout, `kubectl kustomize ${dir}`);
}
