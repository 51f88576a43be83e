import { context, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { STANDARD_WEBHOOK_HEADERS, WEBHOOK_HEADERS } from '@app/contracts';
import { contextFromCarrier, traceHeaders } from '@app/messaging';
import type { LeasedDelivery } from '@app/persistence';
import { describeResult, type AttemptResult } from './retry-policy';
import type { WebhookSender } from './webhook-sender';
import { signStandardWebhook } from './standard-webhook-signature';
import { signWebhook } from './webhook-signature';

const TRACER_NAME = 'discounts-webhooks';
const USER_AGENT = 'discounts-webhooks/1';

/** Where a delivery goes, and the secrets that sign it: the current one first (see WebhookSecrets). */
export interface SigningWebhook {
  readonly url: string;
  readonly secrets: readonly [string, ...string[]];
}

/**
 * One signed POST of a delivery (or of a test event, which is never stored), in a CLIENT span
 * that continues the event's trace.
 */
export function postSigned(
  sender: WebhookSender,
  lease: Pick<LeasedDelivery, 'id' | 'payload' | 'traceContext'>,
  webhook: SigningWebhook,
  attempt: number,
): Promise<AttemptResult> {
  const parent: Context = lease.traceContext ? contextFromCarrier(lease.traceContext) : context.active();
  const target = safeTarget(webhook.url);
  const span = trace.getTracer(TRACER_NAME).startSpan(
    'POST webhook',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'POST',
        // Host and port only: a webhook URL's path or query may carry the brand's own tokens.
        'server.address': target.host,
        ...(target.port ? { 'server.port': target.port } : {}),
        'discounts.event.id': lease.id,
        'discounts.webhook.attempt': attempt,
      },
    },
    parent,
  );
  const body = JSON.stringify(lease.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    // Standard Webhooks: the id is the event's, the same on every attempt (receivers dedupe by it).
    [STANDARD_WEBHOOK_HEADERS.id]: lease.id,
    [STANDARD_WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [STANDARD_WEBHOOK_HEADERS.signature]: signStandardWebhook(webhook.secrets, lease.id, timestamp, body),
    // Deprecated, sent for one more release: the current secret only, as before (a receiver that
    // compares the whole header could not take two values).
    [WEBHOOK_HEADERS.eventId]: lease.id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signWebhook(webhook.secrets[0], timestamp, body),
    [WEBHOOK_HEADERS.attempt]: String(attempt),
    ...traceHeaders(trace.setSpan(parent, span)),
  };
  return sender.send({ url: webhook.url, body, headers }).then((result) => {
    if (result.kind === 'response') span.setAttribute('http.response.status_code', result.statusCode);
    if (result.kind !== 'response' || result.statusCode >= 400) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: describeResult(result) });
    }
    span.end();
    return result;
  });
}

/** What of a webhook URL may appear in logs and spans: scheme, host and port, never path or query. */
export function safeTarget(url: string): { origin: string; host: string; port?: number } {
  try {
    const parsed = new URL(url);
    return {
      origin: parsed.origin,
      host: parsed.hostname,
      ...(parsed.port ? { port: Number(parsed.port) } : {}),
    };
  } catch {
    return { origin: '(invalid URL)', host: '(invalid)' };
  }
}
