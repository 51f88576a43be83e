import { Logger, type INestApplication } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { HttpMetrics, MetricsRegistry, UNMATCHED_ROUTE } from '@app/metrics';

/** A provider of the app's module, or undefined when the module does not have it (test modules). */
export function optionalProvider<T>(
  app: INestApplication,
  token: new (...args: never[]) => T,
): T | undefined {
  // Through ModuleRef: a failed app.get ends the process (Nest's abortOnError) before any catch.
  const modules = app.get(ModuleRef);
  try {
    return modules.get(token, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Records every response in the RED histogram and the debug access log under its route template (Fastify's
 * routeOptions.url), never the raw URL: the predecessor's URL carries a user's secret.
 */
export function recordHttpMetrics(app: INestApplication, fastify: FastifyInstance): void {
  const metrics = app.get(HttpMetrics);
  const accessLog = new Logger('Http');
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    // An access log at debug level, by route template as well: the raw URL may hold a secret.
    accessLog.debug(`${request.method} ${route} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`);
    done();
  });
}

/** GET /metrics on the API port (when METRICS_PORT does not move it to a port of its own). */
export function serveMetricsRoute(app: INestApplication, fastify: FastifyInstance): void {
  const registry = app.get(MetricsRegistry);
  fastify.get('/metrics', async (_request, reply) => {
    const body = await registry.metrics();
    return reply.header('content-type', registry.contentType).send(body);
  });
}
