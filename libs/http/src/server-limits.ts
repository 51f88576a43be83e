import type { HttpConfig } from '@app/config';
import { handleClientError } from './client-errors';

/**
 * Node checks header and request timeouts only this often (30 s by default, which would let a
 * slow client hold a socket well past HTTP_HEADERS_TIMEOUT_MS).
 */
function connectionsCheckingIntervalMs(http: HttpConfig): number {
  return Math.min(5_000, Math.max(250, Math.floor(http.headersTimeoutMs / 4)));
}

/** Options of Node's own HTTP server: the ones Fastify cannot set once the server exists. */
export function nodeServerOptions(http: HttpConfig) {
  return {
    // Answered 431 by handleClientError.
    maxHeaderSize: http.maxHeaderBytes,
    headersTimeout: http.headersTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    connectionsCheckingInterval: connectionsCheckingIntervalMs(http),
  };
}

/** Fastify options that bound what a client may send and how slowly. */
export function serverLimits(http: HttpConfig) {
  return {
    bodyLimit: http.bodyLimitBytes,
    http: nodeServerOptions(http),
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionTimeout: http.connectionTimeoutMs,
    clientErrorHandler: handleClientError,
  };
}
