import type { DynamicModule, LoggerService } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CommonConfig } from '@app/config';
import { MetricsRegistry, startMetricsServer } from '@app/metrics';
import { flushTelemetry, ServiceLifecycle } from '@app/observability';
import { startAdminListener } from './admin-listener';
import { createHttpApp, type HttpAppOptions } from './create-http-app';
import { GracefulShutdown, type TelemetryFlush } from './graceful-shutdown';

export interface ServiceDefinition extends HttpAppOptions {
  readonly module: DynamicModule;
  readonly config: CommonConfig;
  readonly logger: LoggerService;
  /** Transports for message handlers (the app is hybrid: HTTP plus these). */
  readonly microservices: readonly MicroserviceOptions[];
  /** Flushes traces during shutdown, after handlers drained and before connections close. */
  readonly flushTelemetry?: TelemetryFlush;
  /** App-specific HTTP wiring (hooks), before the server starts. */
  readonly configureHttp?: (app: NestFastifyApplication) => void;
}

/**
 * Starts a hybrid service: message handlers first, then HTTP, so ready means fully wired; and
 * stops it gracefully on SIGTERM / SIGINT (see GracefulShutdown).
 */
export async function runService(service: ServiceDefinition): Promise<void> {
  const { config, logger } = service;
  const app = await createHttpApp(service.module, config, service, logger);
  const lifecycle = app.get(ServiceLifecycle);
  new GracefulShutdown({
    app,
    config: config.shutdown,
    logger,
    markStopping: () => lifecycle.markStopping(),
    flushTelemetry: service.flushTelemetry ?? flushTelemetry,
    exit: (code) => process.exit(code),
  }).listen();
  service.configureHttp?.(app);
  for (const options of service.microservices) {
    // Not inheritAppConfig: the global HTTP error filter and validation pipe would answer NATS
    // requests with HTTP replies. Command handlers validate with their contract pipe, and Nest's
    // RPC exception handling replies {err} to the requester.
    app.connectMicroservice(options);
  }
  await app.startAllMicroservices();
  await app.listen({ port: config.http.port, host: config.http.host });
  logger.log(
    `${config.serviceName} listening on http://${config.http.host}:${config.http.port} (docs at /docs)`,
  );
  if (config.metricsPort !== undefined) {
    const server = await startMetricsServer(app.get(MetricsRegistry), config.metricsPort, config.http.host);
    app.getHttpServer().once('close', () => server.close());
    logger.log(`metrics on http://${config.http.host}:${config.metricsPort}/metrics`);
  }
  if (config.adminPort !== undefined) {
    await startAdminListener(app, config.http, config.adminPort);
    logger.log(
      `admin port on http://${config.http.host}:${config.adminPort}: the admin token is accepted there only`,
    );
  }
  lifecycle.markStarted();
}
