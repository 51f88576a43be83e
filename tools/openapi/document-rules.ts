/*
 * The house rules of the published documents, as functions listing what breaks them (empty when
 * all is well): readable operation ids, one error shape, examples for request bodies.
 */
import type { OpenAPIObject, OperationObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { API_ERROR_REF, LEGACY_ENVELOPE_REF } from '@app/http';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface Operation {
  readonly name: string;
  readonly path: string;
  readonly operation: OperationObject;
}

export function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ name: `${method.toUpperCase()} ${path}`, path, operation }] : [];
    }),
  );
}

const CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;

/** Every operation names itself (createBrand), not Nest's default (BrandsController_create). */
export function operationIdProblems(document: OpenAPIObject): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const { name, operation } of operationsOf(document)) {
    const id = operation.operationId;
    if (!id || id.includes('Controller_') || !CAMEL_CASE.test(id)) {
      problems.push(`${name}: operationId ${JSON.stringify(id)} is not an explicit camelCase name`);
    } else if (seen.has(id)) {
      problems.push(`${name}: operationId ${id} is also ${seen.get(id)}'s`);
    }
    if (id) seen.set(id, name);
  }
  return problems;
}

/** The predecessor's routes answer its envelope; every other error is an ApiError. */
export const isLegacyPath = (path: string): boolean => path.startsWith('/discounts/');
/** Health checks answer terminus's own body, 503 included: probes, not API calls. */
export const isHealthPath = (path: string): boolean => path.startsWith('/health/');

export function errorResponseProblems(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const { name, path, operation } of operationsOf(document)) {
    if (isHealthPath(path)) continue;
    const expected = isLegacyPath(path) ? LEGACY_ENVELOPE_REF : API_ERROR_REF;
    for (const [status, response] of Object.entries(operation.responses)) {
      if (Number(status) < 400) continue;
      const content = response && !('$ref' in response) ? response.content : undefined;
      const schema = content?.['application/json']?.schema;
      const ref = schema && '$ref' in schema ? schema.$ref : undefined;
      if (ref !== expected || Object.keys(content ?? {}).length !== 1)
        problems.push(`${name} ${status}: answers ${JSON.stringify(content)}, not only ${expected}`);
    }
  }
  return problems;
}

type Schema = SchemaObject | ReferenceObject;

function resolve(document: OpenAPIObject, schema: Schema): SchemaObject {
  if (!('$ref' in schema)) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = document.components?.schemas?.[name];
  if (!target) throw new Error(`${schema.$ref} is not in components.schemas`);
  return resolve(document, target);
}

/**
 * A schema shows an example when it has one, or, for an object, when every property shows one
 * (Swagger UI and Postman then assemble the whole body from them).
 */
export function showsExample(document: OpenAPIObject, schema: Schema, depth = 0): boolean {
  const resolved = resolve(document, schema);
  if (resolved.example !== undefined || depth > 8) return resolved.example !== undefined;
  const parts = [...(resolved.allOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])];
  if (parts.length > 0) return parts.every((part) => showsExample(document, part, depth + 1));
  if (resolved.type === 'array' && resolved.items) return showsExample(document, resolved.items, depth + 1);
  const properties = Object.values(resolved.properties ?? {});
  return properties.length > 0 && properties.every((p) => showsExample(document, p, depth + 1));
}

/** Every request body comes with an example, per media type. */
export function requestExampleProblems(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const { name, operation } of operationsOf(document)) {
    const body = operation.requestBody;
    if (!body || '$ref' in body) continue;
    for (const [mediaType, media] of Object.entries(body.content)) {
      const hasExample =
        media.example !== undefined ||
        Object.keys(media.examples ?? {}).length > 0 ||
        (media.schema !== undefined && showsExample(document, media.schema));
      if (!hasExample) problems.push(`${name} ${mediaType}: the request body has no example`);
    }
  }
  return problems;
}

/** Success answers with a JSON body whose schema shows no example. */
export function successExampleProblems(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const { name, operation } of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (Number(status) >= 300 || !response || '$ref' in response) continue;
      for (const [mediaType, media] of Object.entries(response.content ?? {})) {
        if (media.example !== undefined || (media.schema && showsExample(document, media.schema))) continue;
        problems.push(`${name} ${status} ${mediaType}: no example`);
      }
    }
  }
  return problems;
}
