import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type PathItemObject } from '@nestjs/swagger';
import { LEGACY_PATH_PREFIX } from '../response-bodies';
import { ApiErrorSchema, LegacyEnvelopeSchema } from './error-schemas';
import { withGenericAnswers } from './generic-answers';
import { HTTP_METHODS } from './http-methods';

export interface OpenApiInfo {
  readonly title: string;
  readonly description: string;
}

/** The $ref every error answer of a route points at. */
export const API_ERROR_REF = '#/components/schemas/ApiError';
export const LEGACY_ENVELOPE_REF = '#/components/schemas/LegacyEnvelope';

/**
 * The OpenAPI document of an app: what /docs serves, and what `npm run openapi` writes to
 * openapi/<app>.json (tools/openapi), so both are built here and nowhere else. It reads route
 * metadata only, so it also works on an app created with `preview: true` (no providers run).
 */
export function buildOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(info.title)
      .setDescription(info.description)
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
    { extraModels: [ApiErrorSchema, LegacyEnvelopeSchema] },
  );
  return inStableOrder(withErrorSchemas(withGenericAnswers(app, withUnauthorized(document))));
}

/**
 * Every route behind bearer auth answers 401 to a missing, wrong or expired credential (the
 * guards do, before the route runs): documented once here so that clients type that answer too.
 */
function withUnauthorized(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation?.security?.length || operation.responses[401]) continue;
      operation.responses[401] = {
        description: 'unauthorized: no credential, or one that is wrong, expired or revoked',
      };
    }
  }
  return document;
}

/**
 * Every error answer of a route has the body the exception filter sends (response-bodies.ts):
 * ApiError on v1 routes, the predecessor's envelope on its routes. Set here once rather than in
 * each of the controllers' @ApiResponse; an answer that declares its own body keeps it.
 */
function withErrorSchemas(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const ref = path.startsWith(LEGACY_PATH_PREFIX) ? LEGACY_ENVELOPE_REF : API_ERROR_REF;
    for (const method of HTTP_METHODS) {
      const responses = item[method]?.responses ?? {};
      for (const [status, response] of Object.entries(responses)) {
        if (!response || Number(status) < 400 || '$ref' in response || response.content) continue;
        response.content = { 'application/json': { schema: { $ref: ref } } };
      }
    }
  }
  return document;
}

const byKey = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A path item's operations in HTTP_METHODS' order, then its other fields as they were. */
function methodsInOrder(item: PathItemObject): PathItemObject {
  const methods = HTTP_METHODS.filter((method) => item[method]).map((method) => [method, item[method]]);
  const rest = Object.entries(item).filter(([key]) => !(HTTP_METHODS as readonly string[]).includes(key));
  return Object.fromEntries([...methods, ...rest]) as PathItemObject;
}

/**
 * Paths, each path's methods, schemas and each operation's answers in a fixed order, so the
 * committed files change only where the API does (not when a module or a decorator moves).
 * Properties keep the DTOs' order: that one is meant for readers.
 */
function inStableOrder(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) operation.responses = byKey(operation.responses);
    }
  }
  const schemas = document.components?.schemas;
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([p, item]) => [p, methodsInOrder(item)]),
  );
  return {
    ...document,
    paths: byKey(paths),
    ...(schemas ? { components: { ...document.components, schemas: byKey(schemas) } } : {}),
  };
}
