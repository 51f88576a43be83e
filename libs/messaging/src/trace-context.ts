import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { headers as natsHeaders, type MsgHdrs } from 'nats';

/**
 * W3C trace context (traceparent/tracestate) in NATS headers, with producer/consumer spans.
 * Nothing here registers a tracer: without one, spans are no-ops and cost next to nothing; with
 * one (a later issue sets up the SDK), a claim, its event and its webhook join one trace.
 * Span attributes name subjects and ids only, never payloads or credentials.
 */
export const TRACER_NAME = 'discounts-messaging';

const w3c = new W3CTraceContextPropagator();

/**
 * The registered propagator, or W3C trace context when none is: the API's default propagator
 * is a no-op, and the design wants W3C headers on NATS whatever else is configured.
 */
function propagator(): TextMapPropagator {
  return propagation.fields().length > 0 ? propagation : w3c;
}

const natsSetter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const natsGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (carrier) => carrier?.keys() ?? [],
  get: (carrier, key) => (carrier?.has(key) ? carrier.get(key) : undefined),
};

/** Trace context as plain strings, to store beside work done later (outbox rows, deliveries). */
export type TraceCarrier = Record<string, string>;

const recordSetter: TextMapSetter<TraceCarrier> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};
const recordGetter: TextMapGetter<TraceCarrier | undefined> = {
  keys: (carrier) => Object.keys(carrier ?? {}),
  get: (carrier, key) => carrier?.[key],
};

/**
 * The active trace position as strings (its traceparent), or undefined when there is no sampled
 * span to continue. Only the traceparent: what is captured is stored with data (a claimed code, a
 * delivery) and sent to brands, and a caller's tracestate or baggage is none of their business.
 */
export function captureTraceContext(from: Context = context.active()): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  w3c.inject(from, carrier, recordSetter);
  return carrier.traceparent ? { traceparent: carrier.traceparent } : undefined;
}

/** Headers for an outgoing HTTP request (webhooks) carrying `from`: its traceparent only. */
export function traceHeaders(from: Context): TraceCarrier {
  return captureTraceContext(from) ?? {};
}

export function contextFromCarrier(carrier: TraceCarrier | undefined): Context {
  return propagator().extract(ROOT_CONTEXT, carrier, recordGetter);
}

export function contextFromNatsHeaders(headers: MsgHdrs | undefined): Context {
  return propagator().extract(ROOT_CONTEXT, headers, natsGetter);
}

/**
 * What a span does, in OpenTelemetry's messaging conventions (semconv 1.26 and later): the
 * generic `messaging.operation.type` (`send` for one message sent, `process` for one handled)
 * and NATS's own name for the call (`publish`, `request`) as `messaging.operation.name`, which
 * also names the span. They replace the deprecated `messaging.operation` (whose `publish` value
 * is now `send`).
 */
export const MESSAGING_OPERATIONS = {
  /** An event or work item published (PRODUCER span). */
  publish: { type: 'send', name: 'publish' },
  /** A command sent by request/reply (CLIENT span). */
  request: { type: 'send', name: 'request' },
  /** A delivered message handled (CONSUMER span) or a command answered (SERVER span). */
  process: { type: 'process', name: 'process' },
} as const;

export type MessagingOperation = keyof typeof MESSAGING_OPERATIONS;

/** Attributes of a NATS span: subjects and ids only, never payloads or credentials. */
export function messagingAttributes(
  operation: MessagingOperation,
  subject: string,
  messageId: string | undefined,
): Attributes {
  const { type, name } = MESSAGING_OPERATIONS[operation];
  return {
    'messaging.system': 'nats',
    'messaging.destination.name': subject,
    'messaging.operation.type': type,
    'messaging.operation.name': name,
    ...(messageId ? { 'messaging.message.id': messageId } : {}),
  };
}

/** A span named `{messaging.operation.name} {destination}`, as the conventions say. */
function startSpan(
  kind: SpanKind,
  operation: MessagingOperation,
  subject: string,
  messageId: string | undefined,
  parent: Context,
): Span {
  const attributes = messagingAttributes(operation, subject, messageId);
  const name = `${MESSAGING_OPERATIONS[operation].name} ${subject}`;
  return trace.getTracer(TRACER_NAME).startSpan(name, { kind, attributes }, parent);
}

/**
 * Runs `send` in a span of `kind` whose context travels in the headers it is given: a PRODUCER
 * span for an event publish, a CLIENT span for a command request.
 */
export async function inOutgoingSpan<T>(
  kind: typeof SpanKind.PRODUCER | typeof SpanKind.CLIENT,
  subject: string,
  messageId: string | undefined,
  parent: Context,
  send: (headers: MsgHdrs) => Promise<T>,
): Promise<T> {
  const span = startSpan(
    kind,
    kind === SpanKind.PRODUCER ? 'publish' : 'request',
    subject,
    messageId,
    parent,
  );
  const spanContext = trace.setSpan(parent, span);
  const headers = natsHeaders();
  propagator().inject(spanContext, headers, natsSetter);
  try {
    return await context.with(spanContext, () => send(headers));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** A CONSUMER (event) or SERVER (command) span continuing the trace found in `headers`. */
export function startIncomingSpan(
  kind: typeof SpanKind.CONSUMER | typeof SpanKind.SERVER,
  subject: string,
  messageId: string | undefined,
  headers: MsgHdrs | undefined,
): { span: Span; context: Context } {
  const parent = contextFromNatsHeaders(headers);
  const span = startSpan(kind, 'process', subject, messageId, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `handle` inside a SERVER span continuing the requester's trace (command handlers). */
export async function inIncomingSpan<T>(
  subject: string,
  headers: MsgHdrs | undefined,
  handle: () => Promise<T>,
): Promise<T> {
  const { span, context: spanContext } = startIncomingSpan(SpanKind.SERVER, subject, undefined, headers);
  try {
    return await context.with(spanContext, handle);
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Marks a span failed with the error's class only: messages may quote data that is not ours to export. */
export function failSpan(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
}

export { SpanKind };
