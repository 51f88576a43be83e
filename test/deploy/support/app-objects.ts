/**
 * The two apps' objects in a parsed render of the chart (see ./helm): each app's Deployment, its
 * env and ConfigMap, and the chart's Secret decoded, for the specs on the admin API and the
 * credentials.
 */
import type { IEnvVar } from 'kubernetes-models/v1';
import { findObject, type K8sObject } from './helm';
import { onlyContainer } from './pod-env';

export const APPS = ['generator', 'provider'] as const;
export type App = (typeof APPS)[number];

export const deploymentOf = (objects: readonly K8sObject[], app: App) =>
  findObject(objects, 'Deployment', `discounts-${app}`);
export const envOf = (objects: readonly K8sObject[], app: App): IEnvVar[] =>
  onlyContainer(deploymentOf(objects, app)).env ?? [];
export const secretRefOf = (objects: readonly K8sObject[], app: App, name: string) =>
  envOf(objects, app).find((e) => e.name === name)?.valueFrom?.secretKeyRef;
export const configOf = (objects: readonly K8sObject[], app: App) =>
  findObject(objects, 'ConfigMap', `discounts-${app}`).data as Record<string, string>;
export const secretOf = (objects: readonly K8sObject[], name = 'discounts-secrets'): Record<string, string> =>
  Object.fromEntries(
    Object.entries(findObject(objects, 'Secret', name).data as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
