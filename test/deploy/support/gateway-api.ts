/**
 * Validation of Gateway API objects against the CRDs of the Gateway API version the local
 * cluster's Traefik implements (GATEWAY_API_VERSION in tools/cluster/versions.env). The CRDs come
 * from the Go module sigs.k8s.io/gateway-api, found (or fetched from the module proxy) with
 * `go mod download -json`, as the cluster's own scripts do.
 *
 * The CRD's openAPIV3Schema is checked with ajv, with two changes: objects that list their
 * properties reject unknown ones (the API server would drop them silently, or refuse them under
 * kubectl's strict field validation), and the Kubernetes formats (int32, int64, date-time) are
 * known. The CEL rules (x-kubernetes-validations) are not evaluated here; the tests assert the
 * ones that concern what the chart renders.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { clusterVersion } from '../../support/cluster-versions';
import { goModuleDir } from '../../support/go-modules';

/** GATEWAY_API_VERSION of tools/cluster/versions.env. */
export const gatewayApiVersion = (): string => clusterVersion('GATEWAY_API_VERSION');

/** The module's directory in the Go module cache, downloading it on first use. */
export const gatewayApiModuleDir = (): string =>
  goModuleDir(`sigs.k8s.io/gateway-api@${gatewayApiVersion()}`);

interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; served: boolean; schema: { openAPIV3Schema: object } }>;
  };
}

/** Adds additionalProperties: false wherever an object lists its properties and says nothing else. */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeObjects);
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (
    record.properties !== undefined &&
    record.additionalProperties === undefined &&
    record['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    record.additionalProperties = false;
  }
  for (const value of Object.values(record)) closeObjects(value);
}

const validators = new Map<string, ValidateFunction>();

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  return ajv;
}

/** The validator of one served version of a standard-channel Gateway API kind, e.g. ('v1', 'HTTPRoute'). */
export function gatewayApiValidator(version: string, kind: string): ValidateFunction {
  const key = `${version}/${kind}`;
  const cached = validators.get(key);
  if (cached) return cached;
  const file = join(
    gatewayApiModuleDir(),
    'config',
    'crd',
    'standard',
    `gateway.networking.k8s.io_${kind.toLowerCase()}s.yaml`,
  );
  const crd = parse(readFileSync(file, 'utf8')) as Crd;
  if (crd.spec.names.kind !== kind) throw new Error(`${file} defines ${crd.spec.names.kind}, not ${kind}`);
  const served = crd.spec.versions.find((v) => v.name === version && v.served);
  if (!served) throw new Error(`${file} serves no version ${version}`);
  const schema = structuredClone(served.schema.openAPIV3Schema);
  closeObjects(schema);
  const validate = newAjv().compile(schema);
  validators.set(key, validate);
  return validate;
}

/** Throws with every schema error unless the object is valid. */
export function validateGatewayApiObject(object: { apiVersion: string; kind: string }): void {
  const [group, version] = object.apiVersion.split('/');
  if (group !== 'gateway.networking.k8s.io' || !version) {
    throw new Error(`${object.apiVersion} is not a Gateway API group/version`);
  }
  const validate = gatewayApiValidator(version, object.kind);
  if (!validate(object)) {
    const errors = (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
      return `${e.instancePath || '/'} ${e.message ?? ''}${extra}`;
    });
    throw new Error(errors.join('; '));
  }
}
