/**
 * Validates rendered objects against the Kubernetes API schemas of kubernetes-models (Kubernetes
 * 1.27), the Prometheus operator's CRD schemas and the Gateway API's CRDs (support/gateway-api.ts).
 * The model class is picked by apiVersion and kind; an object of any other kind is an error, so
 * nothing reaches a cluster unchecked.
 *
 * These schemas check types, enums, formats and required fields. Like the API server's OpenAPI
 * schemas they allow unknown fields (the Gateway API check does not), so the tests assert the
 * fields that matter by value.
 */
import * as monitoringV1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { validateGatewayApiObject } from './gateway-api';
import type { K8sObject } from './helm';

interface ModelClass {
  new (data: object): { validate(): void };
  readonly apiVersion: string;
  readonly kind: string;
}

const GROUP_VERSIONS: Record<string, object> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'autoscaling/v2': autoscalingV2,
  'batch/v1': batchV1,
  'networking.k8s.io/v1': networkingV1,
  'policy/v1': policyV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'monitoring.coreos.com/v1': monitoringV1,
};

function modelFor(apiVersion: string, kind: string): ModelClass {
  const module = GROUP_VERSIONS[apiVersion] as Record<string, unknown> | undefined;
  const candidate: unknown = module?.[kind];
  const model = typeof candidate === 'function' ? (candidate as ModelClass) : undefined;
  if (model?.apiVersion !== apiVersion || model.kind !== kind) {
    throw new Error(
      `no schema for ${apiVersion} ${kind}: unknown kind, or a group/version this check does not know`,
    );
  }
  return model;
}

function validateModel(object: K8sObject): void {
  const Model = modelFor(object.apiVersion, object.kind);
  new Model(object).validate();
}

/** Throws, naming the object and every schema error, unless the object is valid. */
export function validateObject(object: K8sObject): void {
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name ?? '(no name)'}`;
  const check = object.apiVersion.startsWith('gateway.networking.k8s.io/')
    ? validateGatewayApiObject
    : validateModel;
  try {
    check(object);
  } catch (error) {
    throw new Error(`${name} is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Validates every object; reports all the invalid ones at once. */
export function validateAll(objects: readonly K8sObject[]): void {
  const problems: string[] = [];
  for (const object of objects) {
    try {
      validateObject(object);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
