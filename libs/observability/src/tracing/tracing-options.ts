/** Env of the standard OpenTelemetry variables the preload reads itself (the SDK reads the rest). */
export type OtelEnv = Readonly<Record<string, string | undefined>>;

/**
 * Tracing runs only when there is somewhere to send spans: OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, and not OTEL_SDK_DISABLED=true. Off means not loaded at all.
 */
export function tracingEnabled(env: OtelEnv): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/** OTEL_SERVICE_NAME, else the app the entry script belongs to (dist/apps/<name>/…). */
export function serviceNameOf(env: OtelEnv, entryScript: string | undefined): string {
  const configured = env.OTEL_SERVICE_NAME?.trim();
  if (configured) return configured;
  const match = /(?:^|[/\\])apps[/\\]([a-z0-9-]+)[/\\]/.exec(entryScript ?? '');
  return match?.[1] ?? 'discounts';
}

/** service.namespace of both apps: they are one system, told apart by service.name. */
export const SERVICE_NAMESPACE = 'discounts';

/**
 * Resource attributes the apps set themselves, below what OTEL_RESOURCE_ATTRIBUTES (and
 * OTEL_SERVICE_NAME) say: the SDK merges its detected resource over these, so an operator's
 * `service.namespace=shop` wins. service.version is discounts_build_info's version label.
 */
export function defaultResourceAttributes(version: string): Record<string, string> {
  return { 'service.namespace': SERVICE_NAMESPACE, 'service.version': version };
}
