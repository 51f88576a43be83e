import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { headers as natsHeaders } from 'nats';
import {
  captureTraceContext,
  contextFromCarrier,
  contextFromNatsHeaders,
  inOutgoingSpan,
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

  it('tracestate travels too', () => {
    const headers = natsHeaders();
    headers.set('traceparent', TRACEPARENT);
    headers.set('tracestate', 'vendor=value');
    const context = contextFromNatsHeaders(headers);
    expect(captureTraceContext(context)).toStrictEqual({
      traceparent: TRACEPARENT,
      tracestate: 'vendor=value',
    });
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
