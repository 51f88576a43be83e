/**
 * What a rendered Deployment's container sees as its environment: `env` entries plus the keys of
 * ConfigMaps named in `envFrom`, with values resolved from the rendered ConfigMaps and Secrets
 * (or from `externalSecrets`, standing in for Secrets the chart does not manage).
 */
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IContainer, IEnvVar } from 'kubernetes-models/v1';
import { findObject, type K8sObject } from './helm';

export interface ResolvedEnv {
  /** Every variable the container gets, with its value; an optional reference that does not resolve is left out. */
  values: Record<string, string>;
  /** Every variable name the chart sets, resolved or not. */
  names: string[];
}

export const asDeployment = (object: K8sObject): IDeployment => object as unknown as IDeployment;
export const podSpecOf = (deployment: K8sObject) => asDeployment(deployment).spec!.template.spec!;
/** The selector labels of an app's pods in the release `discounts`. */
export const selectorLabels = (app: string) => ({
  'app.kubernetes.io/name': 'discounts',
  'app.kubernetes.io/instance': 'discounts',
  'app.kubernetes.io/component': app,
});

export function onlyContainer(deployment: K8sObject): IContainer {
  const containers = asDeployment(deployment).spec?.template.spec?.containers ?? [];
  if (containers.length !== 1)
    throw new Error(`${deployment.metadata.name}: expected one container, got ${containers.length}`);
  return containers[0]!;
}

const stringData = (object: K8sObject): Record<string, string> => {
  const data = (object.data ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)]));
};

export function resolveEnv(
  objects: readonly K8sObject[],
  deployment: K8sObject,
  externalSecrets: Record<string, Record<string, string>> = {},
): ResolvedEnv {
  const container = onlyContainer(deployment);
  const values: Record<string, string> = {};
  const names: string[] = [];

  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef || source.secretRef || source.prefix) {
      throw new Error(
        `${deployment.metadata.name}: only unprefixed configMapRef envFrom is expected, got ${JSON.stringify(source)}`,
      );
    }
    const configMap = stringData(findObject(objects, 'ConfigMap', source.configMapRef.name!));
    for (const [key, value] of Object.entries(configMap)) {
      names.push(key);
      values[key] = value;
    }
  }
  for (const entry of container.env ?? []) {
    names.push(entry.name);
    const value = resolveEntry(objects, entry, externalSecrets);
    if (value !== undefined) values[entry.name] = value;
  }
  return { values, names };
}

function resolveEntry(
  objects: readonly K8sObject[],
  entry: IEnvVar,
  externalSecrets: Record<string, Record<string, string>>,
): string | undefined {
  if (entry.value !== undefined) return entry.value;
  const secretRef = entry.valueFrom?.secretKeyRef;
  const configMapRef = entry.valueFrom?.configMapKeyRef;
  let value: string | undefined;
  if (secretRef) {
    const rendered = objects.find((o) => o.kind === 'Secret' && o.metadata.name === secretRef.name);
    if (rendered) {
      const encoded = stringData(rendered)[secretRef.key];
      value = encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
    } else {
      value = externalSecrets[secretRef.name!]?.[secretRef.key];
    }
    if (value === undefined && !secretRef.optional) {
      throw new Error(
        `${entry.name}: Secret ${secretRef.name} has no key ${secretRef.key} and the reference is not optional`,
      );
    }
    return value;
  }
  if (configMapRef) {
    value = stringData(findObject(objects, 'ConfigMap', configMapRef.name!))[configMapRef.key];
    if (value === undefined && !configMapRef.optional) {
      throw new Error(`${entry.name}: ConfigMap ${configMapRef.name} has no key ${configMapRef.key}`);
    }
    return value;
  }
  throw new Error(`${entry.name}: unsupported env source ${JSON.stringify(entry.valueFrom)}`);
}
