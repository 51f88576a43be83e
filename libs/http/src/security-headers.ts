import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from './request-id';

/** The API serves JSON only: nothing in a response may load, run or frame anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Swagger UI at /docs: its scripts and styles come from this origin, it sets inline styles, and
 * its icons are data: URLs. Still no framing, no plugins, no third-party script.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const isDocs = (url: string) => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');

/**
 * Security headers on every response (helmet's set: HSTS, nosniff, frame denial, referrer
 * policy, cross-origin isolation), a CSP per kind of response, no caching of API answers (some
 * carry a key shown once), and the request id echoed back.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  // The CSP is set below, per kind of response; helmet's own would be one policy for all.
  await app.register(fastifyHelmet, { contentSecurityPolicy: false });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request: FastifyRequest, reply, done) => {
    const docs = isDocs(request.url);
    void reply
      .header('content-security-policy', docs ? DOCS_CSP : API_CSP)
      .header(REQUEST_ID_HEADER, request.id);
    if (!docs) void reply.header('cache-control', 'no-store');
    done();
  });
}

/**
 * CORS stays closed (no Access-Control-* header at all, so browsers refuse cross-origin calls)
 * unless CORS_ORIGINS lists origins. Bearer tokens, never cookies: no credentials mode.
 */
export async function registerCors(app: NestFastifyApplication, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await app.register(fastifyCors, {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    // RateLimit and RateLimit-Policy: a browser client can pace itself (libs/ratelimit).
    exposedHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id'],
    credentials: false,
    maxAge: 600,
    strictPreflight: true,
  });
}
