import { Writable } from 'node:stream';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncHooksContextManager } from '@opentelemetry/context-async-hooks';
import { createPino, PinoLoggerService } from './pino-logger';
import { runInRequestContext } from './request-context';

function capture(level: 'info' | 'debug' | 'warn' = 'debug') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: new PinoLoggerService(createPino('test-service', level, stream)) };
}

const contextManager = new AsyncHooksContextManager();
beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
afterAll(() => {
  context.disable();
});

describe('PinoLoggerService', () => {
  it('writes JSON lines with level, time, service, context and message', () => {
    const { lines, logger } = capture();
    logger.log('hello', 'SomeContext');
    logger.error('it broke', 'Error: it broke\n    at somewhere (file.ts:1:1)', 'Other');
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'test-service',
      context: 'SomeContext',
      msg: 'hello',
    });
    expect(typeof lines[0]!.time).toBe('string');
    expect(lines[1]).toMatchObject({ level: 'error', context: 'Other', msg: 'it broke' });
    expect(String(lines[1]!.stack)).toContain('at somewhere');
  });

  it('honours the level', () => {
    const { lines, logger } = capture('warn');
    logger.log('dropped');
    logger.debug('dropped');
    logger.warn('kept');
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });

  it('adds the request id and the active trace and span ids', () => {
    const { lines, logger } = capture();
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    };
    runInRequestContext('req-123', () =>
      context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => logger.log('in a request')),
    );
    logger.log('outside');
    expect(lines[0]).toMatchObject({
      request_id: 'req-123',
      trace_id: spanContext.traceId,
      span_id: spanContext.spanId,
    });
    expect(lines[1]).not.toHaveProperty('request_id');
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('redacts secret fields of logged objects and credentials inside message text', () => {
    const { lines, logger } = capture();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXZhbHVl';
    const apiKey = 'dk_' + 'A'.repeat(43);
    logger.log({
      msg: 'object',
      headers: { authorization: `Bearer ${jwt}` },
      secret: 'hunter2-secret',
      nested: { token: 'tok-123456' },
      config: { userSecretPepper: 'pepper-value-0123456789' },
    });
    logger.warn(`auth failed for Bearer ${jwt} and key ${apiKey}`);
    logger.warn('GET /discounts/api/v1.0/get_code/u-1/S3cretValue/brand-1 failed');
    const text = JSON.stringify(lines);
    for (const secret of [
      jwt,
      apiKey,
      'hunter2-secret',
      'tok-123456',
      'S3cretValue',
      'pepper-value-0123456789',
    ])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      headers: { authorization: '[redacted]' },
      secret: '[redacted]',
      nested: { token: '[redacted]' },
      config: { userSecretPepper: '[redacted]' },
    });
    expect(lines[2]!.msg).toBe('GET /discounts/api/v1.0/get_code/u-1/[redacted]/brand-1 failed');
    logger.log('GET /discounts/api/v1.0/get_code/:user_id/:user_secret/:brand_id 200');
    expect(lines[3]!.msg).toBe('GET /discounts/api/v1.0/get_code/:user_id/:user_secret/:brand_id 200');
  });

  it('redacts webhook secrets: the generated one shown once, stored fields, signatures, whsec_ in text', () => {
    const { lines, logger } = capture();
    const generated = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+dGvYrsTq0M=';
    const chosen = 'whsec_chosen-by-a-brand.0123456789';
    const sealed = 'v1.k1.aXY.dGFn.Y2lwaGVydGV4dA';
    const signature = 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=';
    logger.log({
      msg: 'object',
      webhookSecret: generated,
      webhook: { secret: sealed, previousSecret: sealed, secretHint: '…q0M=' },
      headers: { 'webhook-signature': signature, 'x-discounts-signature': 'v1=abcdef0123456789' },
    });
    logger.warn(`receiver refused ${generated}, then ${chosen}`);
    const text = JSON.stringify(lines);
    for (const secret of [generated, chosen, sealed, signature, 'v1=abcdef0123456789'])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      webhookSecret: '[redacted]',
      webhook: { secret: '[redacted]', previousSecret: '[redacted]', secretHint: '…q0M=' },
      headers: { 'webhook-signature': '[redacted]', 'x-discounts-signature': '[redacted]' },
    });
    expect(lines[1]!.msg).toBe('receiver refused [redacted], then [redacted]');
    // The prefix alone, as the docs name it, stays readable.
    logger.log('secrets are whsec_ and base64');
    expect(lines[2]!.msg).toBe('secrets are whsec_ and base64');
  });
});
