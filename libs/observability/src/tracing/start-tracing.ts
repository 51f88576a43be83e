import type { IncomingMessage } from 'node:http';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { projectVersion } from '../build-info';
import { ScrubbingSpanProcessor } from './span-scrubber';
import { setTelemetryFlush } from './telemetry-flush';
import { defaultResourceAttributes } from './tracing-options';

/** Probes and scrapes every few seconds would be most of the traces and tell nothing. */
function isInfrastructureRequest(request: IncomingMessage): boolean {
  const path = (request.url ?? '').split('?')[0] ?? '';
  return path === '/metrics' || path.startsWith('/health/');
}

/**
 * HTTP server spans (named by route template once Fastify has routed, see createHttpApp) and
 * MongoDB spans (statements without values). NATS spans come from @app/messaging's own
 * trace-context code, webhook client spans from the dispatcher; outgoing HTTP is therefore not
 * instrumented here, which also keeps webhook URLs (their query may hold a token) out of spans.
 */
export function startTracing(): void {
  if ((process.env.OTEL_LOG_LEVEL ?? '').toLowerCase() === 'debug') {
    diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG);
  }
  const sdk = new NodeSDK({
    // The SDK's detectors (OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME, host, process) are merged
    // over this at start, so what the operator sets wins.
    resource: defaultResource().merge(resourceFromAttributes(defaultResourceAttributes(projectVersion()))),
    spanProcessors: [new ScrubbingSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter()))],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: isInfrastructureRequest,
        ignoreOutgoingRequestHook: () => true,
      }),
      new MongoDBInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  setTelemetryFlush(() => (stopped ??= sdk.shutdown()));
}
