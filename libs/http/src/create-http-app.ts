import { Module, type DynamicModule, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { trace } from '@opentelemetry/api';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { CommonConfig } from '@app/config';
import { DomainError } from '@app/contracts';
import { BuildInfoMetrics, MetricsModule } from '@app/metrics';
import { readBuildInfo, runInRequestContext } from '@app/observability';
import { isClosing } from './graceful-shutdown';
import { HttpExceptionFilter, sendError } from './http-exception.filter';
import { recordHttpMetrics, serveMetricsRoute } from './http-metrics.hook';
import { jsonHoldsNul, jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-body-guards';
import { registerLoadShedding } from './load-shedding';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { requestIdOf } from './request-id';
import { registerCors, registerSecurityHeaders } from './security-headers';
import { serverLimits } from './server-limits';
import { createValidationPipe } from './validation.pipe';

export interface HttpAppOptions {
  readonly title: string;
  readonly description: string;
}

/** Every HTTP app has the metrics registry its /metrics and RED histogram need. */
@Module({})
class HttpAppRoot {}

/** The module an HTTP app is made of: `module` and what every HTTP app has. */
export function httpAppRoot(module: Type<unknown> | DynamicModule): DynamicModule {
  return { module: HttpAppRoot, imports: [MetricsModule, module] };
}

/**
 * A Fastify-based Nest app with the house rules for errors, validation, limits, load shedding,
 * headers and docs.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  config: CommonConfig,
  options: HttpAppOptions,
  logger: LoggerService,
): Promise<NestFastifyApplication> {
  const { trustProxy } = config.http;
  const adapter = new FastifyAdapter({
    ...serverLimits(config.http),
    // Fastify's request log would print raw URLs, and the predecessor's URL carries a secret.
    logger: false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Long enough for every valid parameter (ids ≤ 64, secrets ≤ 128), so the DTOs, not the
    // router, decide; longer ones reach frameworkErrors below.
    routerOptions: { maxParamLength: 256 },
    // Router errors (bad URL encoding, over-long parameters) would otherwise echo the raw path,
    // which may hold a user's secret.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendError(request, reply, error),
    // request.ip (rate limits per client) honours X-Forwarded-For only from trusted proxies.
    trustProxy: typeof trustProxy === 'object' ? [...trustProxy] : trustProxy,
    requestIdHeader: false,
    genReqId: requestIdOf,
    // The graceful shutdown drains connections itself (graceful-shutdown.ts); a request that
    // still arrives while Fastify closes is served, not refused with a 503.
    return503OnClosing: false,
  });
  // bodyParser: false keeps Nest from adding a form-urlencoded parser: these APIs take JSON only,
  // which Fastify parses natively (within bodyLimit).
  const app = await NestFactory.create<NestFastifyApplication>(httpAppRoot(module), adapter, {
    logger,
    bufferLogs: true,
    bodyParser: false,
  });
  await registerSecurityHeaders(app);
  await registerCors(app, config.http.corsOrigins);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  const fastify = app.getHttpAdapter().getInstance();
  // Everything a request causes logs its request id (the pino mixin reads it).
  fastify.addHook('onRequest', (request, _reply, done) => {
    // The HTTP server span (when tracing is on) is named by the route template, not the URL.
    const route = request.routeOptions.url;
    const span = trace.getActiveSpan();
    if (span && route) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    runInRequestContext(request.id, done);
  });
  // After the security headers and the request context: a refusal carries both.
  await registerLoadShedding(app, config.loadShedding);
  recordHttpMetrics(app, fastify);
  app.get(BuildInfoMetrics).record(readBuildInfo());
  fastify.addHook('onSend', (_request, reply, _payload, done) => {
    // While draining, a keep-alive client gets its answer and then a closed connection.
    if (isClosing(fastify.server)) void reply.header('connection', 'close');
    done();
  });
  if (config.metricsPort === undefined) serveMetricsRoute(app, fastify);
  // JSON only: any other body type is a 415 instead of a string reaching validation.
  fastify.removeContentTypeParser(['text/plain']);
  // Fastify's own JSON parser (with its __proto__ / constructor checks), behind a nesting limit.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new DomainError('invalid_input', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`),
      );
      return;
    }
    if (jsonHoldsNul(text)) {
      done(
        new DomainError(
          'invalid_input',
          'The JSON body holds a NUL character (\\u0000), which no field accepts',
        ),
      );
      return;
    }
    void parseJson(request, text, done);
  });
  if (config.http.docsEnabled) {
    const document = buildOpenApiDocument(app, options);
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  }
  return app;
}
