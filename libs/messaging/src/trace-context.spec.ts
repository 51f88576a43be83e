import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { headers as natsHeaders } from 'nats';
import {
  captureTraceContext,
  contextFromCarrier,
  contextFromNatsHeaders,
  inOutgoingSpan,
  messagingAttributes,
  SpanKind,
  traceHeaders,
} from './trace-context';

/** No tracer and no propagator registered: the state of every service until tracing is set up. */
const parent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
});
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context without a registered SDK', () => {
  it('captures W3C traceparent even though the API default propagator is a no-op', () => {
    expect(captureTraceContext(parent)).toStrictEqual({ traceparent: TRACEPARENT });
    expect(traceHeaders(parent)).toStrictEqual({ traceparent: TRACEPARENT });
  });

  it('captures nothing when there is no trace to continue', () => {
    expect(captureTraceContext(ROOT_CONTEXT)).toBeUndefined();
    expect(traceHeaders(ROOT_CONTEXT)).toStrictEqual({});
  });

  it('restores a stored context', () => {
    const restored = trace.getSpanContext(contextFromCarrier({ traceparent: TRACEPARENT }));
    expect(restored).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      isRemote: true,
    });
    expect(trace.getSpanContext(contextFromCarrier(undefined))).toBeUndefined();
    expect(trace.getSpanContext(contextFromCarrier({ traceparent: 'garbage' }))).toBeUndefined();
  });

  it('puts the trace into the NATS headers of an outgoing message and reads it back', async () => {
    const sent = await inOutgoingSpan(
      SpanKind.PRODUCER,
      'discounts.events.v1.code.claimed',
      'id-1',
      parent,
      (headers) => Promise.resolve(headers),
    );
    expect(sent.get('traceparent')).toBe(TRACEPARENT);
    expect(trace.getSpanContext(contextFromNatsHeaders(sent))?.traceId).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it("keeps a caller's tracestate out of what is stored and sent to brands", () => {
    const headers = natsHeaders();
    headers.set('traceparent', TRACEPARENT);
    headers.set('tracestate', 'vendor=value');
    const context = contextFromNatsHeaders(headers);
    expect(trace.getSpanContext(context)?.traceState?.get('vendor')).toBe('value');
    expect(captureTraceContext(context)).toStrictEqual({ traceparent: TRACEPARENT });
    expect(traceHeaders(context)).toStrictEqual({ traceparent: TRACEPARENT });
  });

  it('reads no trace from missing or empty headers', () => {
    expect(trace.getSpanContext(contextFromNatsHeaders(undefined))).toBeUndefined();
    expect(trace.getSpanContext(contextFromNatsHeaders(natsHeaders()))).toBeUndefined();
  });

  it('passes failures through unchanged', async () => {
    const failure = new Error('boom');
    await expect(
      inOutgoingSpan(SpanKind.CLIENT, 'subject', undefined, parent, () => Promise.reject(failure)),
    ).rejects.toBe(failure);
  });
});

describe("with an SDK that propagates baggage too (the Node SDK's default)", () => {
  beforeAll(() => {
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
  });
  afterAll(() => propagation.disable());

  it("stores and forwards only the traceparent, never the caller's baggage", () => {
    const withBaggage = propagation.setBaggage(
      parent,
      propagation.createBaggage({ 'user.email': { value: 'someone@example.com' } }),
    );
    expect(captureTraceContext(withBaggage)).toStrictEqual({ traceparent: TRACEPARENT });
    expect(traceHeaders(withBaggage)).toStrictEqual({ traceparent: TRACEPARENT });
  });
});

describe('messaging span attributes (semconv 1.26+)', () => {
  it('a publish is a send named publish; a request a send named request; a handler a process', () => {
    expect(messagingAttributes('publish', 'discounts.events.v1.code.claimed', 'id-1')).toStrictEqual({
      'messaging.system': 'nats',
      'messaging.destination.name': 'discounts.events.v1.code.claimed',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'publish',
      'messaging.message.id': 'id-1',
    });
    expect(messagingAttributes('request', 'discounts.commands.v1.x', undefined)).toStrictEqual({
      'messaging.system': 'nats',
      'messaging.destination.name': 'discounts.commands.v1.x',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'request',
    });
    expect(messagingAttributes('process', 's', 'id-2')).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
    });
  });

  it('never sets the deprecated messaging.operation', () => {
    for (const operation of ['publish', 'request', 'process'] as const) {
      expect(Object.keys(messagingAttributes(operation, 's', 'id'))).not.toContain('messaging.operation');
    }
  });
});
