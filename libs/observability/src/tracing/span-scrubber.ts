import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { scrubSecrets } from '../logging/redaction';

/** URL attributes whose query string may carry a credential (a webhook URL's token, say). */
const URL_ATTRIBUTES = new Set(['url.full', 'http.url']);

/** What a span may show of a string attribute or name. */
export function scrubSpanText(key: string | undefined, value: string): string {
  const scrubbed = scrubSecrets(value);
  return key !== undefined && URL_ATTRIBUTES.has(key) ? scrubbed.replace(/\?.*$/, '') : scrubbed;
}

/**
 * Cleans every span before it is exported, whatever created it: the predecessor's route carries
 * a user's secret in its path, which the HTTP instrumentation would record as url.path /
 * http.target, and credentials can turn up in any attribute. Runs when the span starts and
 * again while it ends (onEnding: still mutable), then hands it to the exporting processor.
 */
export class ScrubbingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    scrub(span);
    this.next.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    scrub(span);
    this.next.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

function scrub(span: Span): void {
  const name = scrubSpanText(undefined, span.name);
  if (name !== span.name) span.updateName(name);
  for (const [key, value] of Object.entries(span.attributes)) {
    if (typeof value !== 'string') continue;
    const clean = scrubSpanText(key, value);
    if (clean !== value) span.setAttribute(key, clean);
  }
}
