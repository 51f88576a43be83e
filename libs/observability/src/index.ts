export * from './build-info';
export * from './health/health.module';
export * from './health/load-pressure';
export * from './health/service-lifecycle';
export * from './logging/pino-logger';
export * from './logging/redaction';
export * from './logging/request-context';
export { flushTelemetry } from './tracing/telemetry-flush';
export { ScrubbingSpanProcessor, scrubSpanText } from './tracing/span-scrubber';
export {
  defaultResourceAttributes,
  SERVICE_NAMESPACE,
  serviceNameOf,
  tracingEnabled,
} from './tracing/tracing-options';
