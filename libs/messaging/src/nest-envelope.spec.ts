import { JSONCodec } from 'nats';
import { decodeNestReply, encodeNestRequest } from './nest-envelope';

const codec = JSONCodec<Record<string, unknown>>();

describe('Nest NATS envelope', () => {
  it('wraps a request as Nest expects: pattern, data and an id (without an id Nest treats it as an event)', () => {
    const decoded = codec.decode(
      encodeNestRequest('discounts.commands.v1.pool.replenish', { brandId: 'acme' }),
    );
    expect(decoded).toStrictEqual({
      pattern: 'discounts.commands.v1.pool.replenish',
      data: { brandId: 'acme' },
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    });
    const again = codec.decode(encodeNestRequest('x', {}));
    expect(again.id).not.toBe(decoded.id);
  });

  it('unwraps a response, including a falsy one', () => {
    expect(
      decodeNestReply(codec.encode({ id: '1', response: { added: 3 }, isDisposed: true })),
    ).toStrictEqual({
      ok: true,
      response: { added: 3 },
    });
    expect(decodeNestReply(codec.encode({ id: '1', response: 0 }))).toStrictEqual({ ok: true, response: 0 });
  });

  it('reports a remote error by its message', () => {
    expect(
      decodeNestReply(codec.encode({ id: '1', err: { status: 'error', message: 'Internal server error' } })),
    ).toStrictEqual({
      ok: false,
      error: 'Internal server error',
    });
    expect(decodeNestReply(codec.encode({ id: '1', err: 'Invalid request' }))).toStrictEqual({
      ok: false,
      error: 'Invalid request',
    });
  });

  it('reports replies that are not Nest replies', () => {
    expect(decodeNestReply(new TextEncoder().encode('not json'))).toStrictEqual({
      ok: false,
      error: 'reply is not JSON',
    });
    expect(decodeNestReply(new TextEncoder().encode('42'))).toStrictEqual({
      ok: false,
      error: 'reply is not an object',
    });
    expect(decodeNestReply(codec.encode({ id: '1', isDisposed: true }))).toStrictEqual({
      ok: false,
      error: 'reply has no response',
    });
  });
});
