import type { INestApplication } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { HeadersObject, OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { AdminGuard, BrandGuard, JwtUserGuard } from '@app/auth';
import { isInfrastructureRoute } from '@app/metrics';
import { rateLimitPolicyOf } from '@app/ratelimit';
import { HTTP_METHODS } from './http-methods';

/*
 * The answers no controller decides: the load shedder, the auth guards, the rate limits and the
 * body parser send them before (or instead of) the handler. Derived here from each route's guards
 * and body, so a new route documents them without anyone remembering to, and a guard added to a
 * route changes its document. Their bodies (ApiError / LegacyEnvelope) are set afterwards by
 * openapi-document.ts, as for every error.
 */

/** @nestjs/swagger's metadata key of @ApiOperation (not exported from its root). */
const API_OPERATION_METADATA = 'swagger/apiOperation';

const RETRY_AFTER: HeadersObject = {
  'Retry-After': {
    description: 'Whole seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1, example: 30 },
  },
};

/** IETF draft-ietf-httpapi-ratelimit-headers fields, sent on every counted answer, the 429 too. */
const RATE_LIMIT_FIELDS: HeadersObject = {
  'RateLimit-Policy': {
    description: 'The policies counting this request: name, quota (q) and window in seconds (w)',
    schema: { type: 'string', example: '"readsPerBrand";q=100;w=60' },
  },
  RateLimit: {
    description: 'What is left of each policy: remaining requests (r) and seconds to a refill (t)',
    schema: { type: 'string', example: '"readsPerBrand";r=0;t=30' },
  },
};

const CREDENTIAL_GUARDS: readonly unknown[] = [AdminGuard, BrandGuard, JwtUserGuard];
/** The guards that accept the admin token, and so refuse it off ADMIN_PORT (admin_port_only). */
const ADMIN_TOKEN_GUARDS: readonly unknown[] = [AdminGuard, BrandGuard];

const guardClass = (guard: unknown): unknown =>
  typeof guard === 'function' ? guard : (guard as object | null)?.constructor;

const guardsOf = (target: object): unknown[] => {
  const guards: unknown = Reflect.getMetadata(GUARDS_METADATA, target);
  return Array.isArray(guards) ? guards.map(guardClass) : [];
};

/** Each operation's guards (its controller's, then its own), by operationId. */
function guardsByOperationId(app: INestApplication): Map<string, unknown[]> {
  const found = new Map<string, unknown[]>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const operation: unknown = Reflect.getMetadata(API_OPERATION_METADATA, handler);
        const id = (operation as { operationId?: unknown } | undefined)?.operationId;
        if (typeof id === 'string') found.set(id, [...guardsOf(metatype), ...guardsOf(handler)]);
      }
    }
  }
  return found;
}

/** Declares `status`, or adds `headers` to the answer a controller already declares. */
function addAnswer(
  operation: OperationObject,
  status: number,
  description: string,
  headers?: HeadersObject,
): void {
  const declared = operation.responses[status] as object | undefined;
  if (!declared) {
    operation.responses[status] = { description, ...(headers ? { headers } : {}) };
  } else if (headers && !('$ref' in declared)) {
    const response = declared as { headers?: HeadersObject };
    response.headers = { ...headers, ...response.headers };
  }
}

function addGuardAnswers(path: string, operation: OperationObject, guards: readonly unknown[]): void {
  const has = (candidates: readonly unknown[]) => guards.some((g) => candidates.includes(g));
  if (guards.includes(BrandGuard) && path.includes('{brandId}')) {
    addAnswer(
      operation,
      403,
      'forbidden: the API key belongs to another brand, or the admin token came in off ADMIN_PORT',
    );
  } else if (has(ADMIN_TOKEN_GUARDS)) {
    addAnswer(operation, 403, 'forbidden: the admin token came in on a port other than ADMIN_PORT');
  }
  const policies = guards.map(rateLimitPolicyOf).filter((p): p is string => p !== undefined);
  if (policies.length > 0) {
    addAnswer(
      operation,
      429,
      `too many requests: over a rate limit (${policies.join(', ')})` +
        (has(CREDENTIAL_GUARDS) ? ', or too many failed authentications from this address' : ''),
      { ...RETRY_AFTER, ...RATE_LIMIT_FIELDS },
    );
  } else if (has(CREDENTIAL_GUARDS)) {
    addAnswer(operation, 429, 'too many failed authentications from this address', RETRY_AFTER);
  }
}

/**
 * Adds to every operation of `document` the answers its route can get from outside its handler:
 * 503 (load shedding) on all but probes and scrapes, 403 and 429 from its guards, 413 and 415
 * where it takes a body.
 */
export function withGenericAnswers(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  const guardsById = guardsByOperationId(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (isInfrastructureRoute(path)) continue;
      addAnswer(
        operation,
        503,
        'service unavailable: the service is shedding load, or a dependency is down',
        RETRY_AFTER,
      );
      const guards = operation.operationId ? guardsById.get(operation.operationId) : undefined;
      // A route's guards decide its 403 and 429: guessing them would document answers wrongly.
      if (!guards)
        throw new Error(`${method.toUpperCase()} ${path}: no controller method has its operationId`);
      addGuardAnswers(path, operation, guards);
      if (operation.requestBody) {
        addAnswer(operation, 413, 'payload too large: the body is over HTTP_BODY_LIMIT_BYTES');
        addAnswer(operation, 415, 'unsupported media type: the body is not of a media type listed here');
      }
    }
  }
  return document;
}
