/**
 * Starts OpenTelemetry tracing before anything it instruments is loaded: the apps are started
 * with `node --require ./dist/libs/observability/src/tracing/preload.js` (npm start scripts, the
 * image's CMD, make launch, the e2e stack). Configured by the standard OTEL_* variables only
 * (endpoint, OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME…); with no OTLP
 * endpoint it does nothing at all. Plain relative imports only: no path aliases exist this early.
 */
import { realpathSync } from 'node:fs';
import { tracingEnabled, serviceNameOf } from './tracing-options';

function entryScript(): string | undefined {
  const script = process.argv[1];
  if (!script) return undefined;
  try {
    // The image starts dist/main.js, a link to dist/apps/<name>/src/main.js.
    return realpathSync(script);
  } catch {
    return script;
  }
}

if (tracingEnabled(process.env)) {
  process.env.OTEL_SERVICE_NAME = serviceNameOf(process.env, entryScript());
  // Loaded only when on: the SDK and its instrumentations cost memory and start-up time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./start-tracing') as typeof import('./start-tracing')).startTracing();
}
