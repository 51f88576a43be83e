import { randomUUID } from 'node:crypto';
import { JSONCodec } from 'nats';

const codec = JSONCodec<unknown>();

/**
 * Nest's NATS transport (which runs the generator's @MessagePattern handlers) wraps requests as
 * {pattern, data, id} and answers {id, response | err, isDisposed}. The provider speaks it with
 * the plain `nats` client, so its requests are real NATS requests with a timeout of its own.
 */
export function encodeNestRequest(pattern: string, data: unknown): Uint8Array {
  return codec.encode({ pattern, data, id: randomUUID() });
}

export type NestReply =
  { readonly ok: true; readonly response: unknown } | { readonly ok: false; readonly error: string };

export function decodeNestReply(bytes: Uint8Array): NestReply {
  let decoded: unknown;
  try {
    decoded = codec.decode(bytes);
  } catch {
    return { ok: false, error: 'reply is not JSON' };
  }
  if (typeof decoded !== 'object' || decoded === null) return { ok: false, error: 'reply is not an object' };
  const reply = decoded as { response?: unknown; err?: unknown };
  if (reply.err !== undefined && reply.err !== null)
    return { ok: false, error: describeRemoteError(reply.err) };
  if (!('response' in reply)) return { ok: false, error: 'reply has no response' };
  return { ok: true, response: reply.response };
}

function describeRemoteError(error: unknown): string {
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : JSON.stringify(error);
}
