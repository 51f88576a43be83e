import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '@app/contracts';

interface ClientErrorAnswer {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * Errors Node's HTTP parser raises before there is a request (so before routes, hooks and the
 * exception filter): headers over HTTP_MAX_HEADER_BYTES, a client too slow to send its request,
 * bytes that are not HTTP. The URL is unknown here, so the answer has the v1 shape.
 */
export function clientErrorAnswer(errorCode: string | undefined): ClientErrorAnswer {
  if (errorCode === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: 'headers_too_large', message: 'Request headers are too large' };
  }
  if (errorCode === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: 'request_timeout', message: 'The request took too long to arrive' };
  }
  return { status: 400, code: 'invalid_input', message: 'Malformed HTTP request' };
}

/** Fastify's clientErrorHandler: our error shape instead of Fastify's, then the socket is closed. */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code, message } = clientErrorAnswer(error.code);
  const body = JSON.stringify({ statusCode: status, error: code, message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}
