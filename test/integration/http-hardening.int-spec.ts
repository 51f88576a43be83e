/**
 * The HTTP layer every service is built on (libs/http createHttpApp), over real sockets: security
 * headers, CORS closed by default and open only to configured origins, request ids, header and
 * body size limits, timeouts against slow clients, client IPs behind trusted proxies only, and
 * error bodies without internals. A small Nest app of its own: no database or NATS needed. (The
 * CSP of /docs is checked in the e2e tier, on the real apps.)
 */
import { connect, type Socket } from 'node:net';
import { ConsoleLogger, Controller, Get, Module, Param, Post, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { commonEnvSchema, parseEnv, toCommonConfig, withCommonEnvChecks, type Env } from '@app/config';
import { DomainError } from '@app/contracts';
import { API_CSP, createHttpApp } from '@app/http';

const SECRET_IN_ERROR = 'hunter2-internal-detail';

@Controller()
class ProbeController {
  @Get('v1/ok')
  ok() {
    return { ok: true };
  }

  @Get('v1/ip')
  ip(@Req() request: FastifyRequest) {
    return { ip: request.ip };
  }

  @Post('v1/echo')
  echo() {
    return { ok: true };
  }

  @Get('v1/boom')
  boom(): never {
    throw new TypeError(`Cannot read properties of undefined (reading '${SECRET_IN_ERROR}')`);
  }

  @Get('v1/limited')
  limited(): never {
    throw new DomainError('rate_limited', 'Too many requests', { retryAfterSeconds: 42 });
  }

  @Get('discounts/api/v1.0/get_code/:user/:secret/:brand')
  legacyLimited(@Param('secret') _secret: string): never {
    throw new DomainError('rate_limited', 'Too many requests', { retryAfterSeconds: 3 });
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

/** Every line the app logs, to check what reaches the logs. */
class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];
  override error(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map(String).join(' '));
  }
  override warn(message: unknown): void {
    this.lines.push(String(message));
  }
  override log(): void {}
}

interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  port: number;
  logger: CapturingLogger;
}

async function startProbe(env: Env = {}): Promise<RunningApp> {
  const config = toCommonConfig(
    'http-hardening-int-spec',
    parseEnv(withCommonEnvChecks(commonEnvSchema(1)), {
      ADMIN_TOKEN: 'http-hardening-admin-token',
      HTTP_BODY_LIMIT_BYTES: '2048',
      // Swagger UI's static files load ESM-only packages jest cannot require; the e2e tier checks /docs.
      SWAGGER_ENABLED: 'false',
      ...env,
    }),
  );
  const logger = new CapturingLogger();
  const app = await createHttpApp(ProbeModule, config, { title: 'probe', description: 'probe' }, logger);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { app, url: `http://127.0.0.1:${address.port}`, port: address.port, logger };
}

/** Writes raw bytes and collects the answer until the server closes the socket (or timeoutMs). */
function rawExchange(
  port: number,
  payload: string,
  { timeoutMs = 10_000, keepOpen = false }: { timeoutMs?: number; keepOpen?: boolean } = {},
): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got so far: ${text.slice(0, 200)}`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
    socket.write(payload);
    if (!keepOpen) socket.end();
  });
}

describe('HTTP hardening (defaults)', () => {
  let probe: RunningApp;

  beforeAll(async () => {
    probe = await startProbe({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_MAX_HEADER_BYTES: '4096' });
  });

  afterAll(async () => {
    await probe?.app.close();
  });

  it('sets security headers and a strict CSP on API answers, and forbids caching them', async () => {
    const res = await fetch(`${probe.url}/v1/ok`);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-security-policy': API_CSP,
      'strict-transport-security': expect.stringMatching(/max-age=\d+/) as unknown,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('sets the same headers on error answers', async () => {
    const res = await fetch(`${probe.url}/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(API_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers no CORS headers at all when CORS_ORIGINS is unset (closed)', async () => {
    const preflight = await fetch(`${probe.url}/v1/echo`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    const simple = await fetch(`${probe.url}/v1/ok`, { headers: { origin: 'https://shop.example.com' } });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes a sane X-Request-Id, replaces an insane one, and makes one up when none is sent', async () => {
    const given = await fetch(`${probe.url}/v1/ok`, { headers: { 'x-request-id': 'client-trace-42' } });
    expect(given.headers.get('x-request-id')).toBe('client-trace-42');
    const insane = await fetch(`${probe.url}/v1/ok`, { headers: { 'x-request-id': 'x'.repeat(500) } });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const none = await fetch(`${probe.url}/v1/ok`);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an internal error with a bare 500 (no stack, no message) and logs it with the request id', async () => {
    const res = await fetch(`${probe.url}/v1/boom`, { headers: { 'x-request-id': 'boom-request-1' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toStrictEqual({ statusCode: 500, error: 'internal', message: 'Internal error' });
    expect(text).not.toContain(SECRET_IN_ERROR);
    expect(text).not.toMatch(/TypeError|at .*\.ts:\d+|node_modules/);
    expect(res.headers.get('x-request-id')).toBe('boom-request-1');
    const logged = probe.logger.lines.find((line) => line.includes('boom-request-1'));
    expect(logged).toContain('GET /v1/boom failed (request boom-request-1)');
  });

  it('answers 429 with Retry-After, in the v1 shape and in the envelope on legacy routes', async () => {
    const v1 = await fetch(`${probe.url}/v1/limited`);
    expect(v1.status).toBe(429);
    expect(v1.headers.get('retry-after')).toBe('42');
    expect(await v1.json()).toStrictEqual({
      statusCode: 429,
      error: 'rate_limited',
      message: 'Too many requests',
      details: { retryAfterSeconds: 42 },
    });
    const legacy = await fetch(`${probe.url}/discounts/api/v1.0/get_code/u1/s3cret/1`);
    expect(legacy.status).toBe(429);
    expect(legacy.headers.get('retry-after')).toBe('3');
    expect(await legacy.json()).toStrictEqual({
      code: '429',
      data: '',
      message: 'Too many requests',
      status: 'error',
    });
  });

  it('answers headers over HTTP_MAX_HEADER_BYTES with 431 in the v1 shape', async () => {
    const { text } = await rawExchange(
      probe.port,
      `GET /v1/ok HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(8_000)}\r\n\r\n`,
    );
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    expect(JSON.parse(body)).toStrictEqual({
      statusCode: 431,
      error: 'headers_too_large',
      message: 'Request headers are too large',
    });
  });

  it('accepts headers just under the limit', async () => {
    const res = await fetch(`${probe.url}/v1/ok`, { headers: { 'x-padding': 'a'.repeat(3_000) } });
    expect(res.status).toBe(200);
  });

  it('answers a body over HTTP_BODY_LIMIT_BYTES with 413', async () => {
    const res = await fetch(`${probe.url}/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'a'.repeat(4_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
  });

  it.each([
    ['a deeply nested array', '['.repeat(900) + ']'.repeat(900)],
    ['a deeply nested object', '{"a":'.repeat(17) + '1' + '}'.repeat(17)],
  ])('answers %s with 400 before validation can overflow the stack', async (_, body) => {
    const res = await fetch(`${probe.url}/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'The JSON body is nested more than 16 levels deep',
    });
  });

  it('answers a string holding NUL (\\u0000) with 400, and takes an escaped backslash before u0000 as text', async () => {
    const post = (body: string) =>
      fetch(`${probe.url}/v1/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const refused = await post('{"name":"\\u0000"}');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toStrictEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'The JSON body holds a NUL character (\\u0000), which no field accepts',
    });
    expect((await post('{"name":"\\\\u0000"}')).status).toBe(201);
  });

  it('still refuses __proto__ and constructor.prototype keys, and parses ordinary JSON', async () => {
    const post = (body: string) =>
      fetch(`${probe.url}/v1/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    expect((await post('{"__proto__":{"isAdmin":true}}')).status).toBe(400);
    expect((await post('{"constructor":{"prototype":{"isAdmin":true}}}')).status).toBe(400);
    expect((await post('{"a":{"b":[1,2,{"c":3}]}}')).status).toBe(201);
    expect((await post('{"a":')).status).toBe(400);
  });

  it('cuts off a client that sends its headers too slowly (408, then the socket is closed)', async () => {
    // Half a request line and one header, then nothing: the slowloris pattern.
    const { text, closedAfterMs } = await rawExchange(probe.port, 'GET /v1/ok HTTP/1.1\r\nHost: x\r\n', {
      keepOpen: true,
    });
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: 'request_timeout' });
    // HTTP_HEADERS_TIMEOUT_MS is 1 s; Node checks every 250 ms here.
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(4_000);
  });

  it('answers bytes that are not HTTP with 400 and closes', async () => {
    const { text } = await rawExchange(probe.port, 'HELLO\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: 'invalid_input' });
  });

  it('configures the server timeouts from the environment', () => {
    const server = probe.app.getHttpServer();
    expect({
      headersTimeout: server.headersTimeout,
      requestTimeout: server.requestTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
      timeout: server.timeout,
      // Set from the server options; @types/node does not declare it on the instance.
      maxHeaderSize: (server as unknown as { maxHeaderSize: number }).maxHeaderSize,
    }).toEqual({
      headersTimeout: 1_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 72_000,
      timeout: 120_000,
      maxHeaderSize: 4_096,
    });
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: the socket peer is the client', async () => {
    const res = await fetch(`${probe.url}/v1/ip`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(await res.json()).toEqual({ ip: '127.0.0.1' });
  });
});

describe('HTTP hardening (CORS_ORIGINS and TRUST_PROXY set)', () => {
  let probe: RunningApp;

  beforeAll(async () => {
    probe = await startProbe({ CORS_ORIGINS: 'https://shop.example.com', TRUST_PROXY: 'loopback' });
  });

  afterAll(async () => {
    await probe?.app.close();
  });

  const preflight = (origin: string) =>
    fetch(`${probe.url}/v1/echo`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('allows a listed origin, with the headers a browser client needs', async () => {
    const res = await preflight('https://shop.example.com');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const simple = await fetch(`${probe.url}/v1/ok`, { headers: { origin: 'https://shop.example.com' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(simple.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(
      expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy']),
    );
  });

  it.each([
    'https://evil.example.com',
    'https://shop.example.com.evil.com',
    'http://shop.example.com',
    'null',
  ])('does not allow the origin %s', async (origin) => {
    const res = await preflight(origin);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('takes the client IP from X-Forwarded-For when the peer is a trusted proxy', async () => {
    const res = await fetch(`${probe.url}/v1/ip`, {
      headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
    });
    // The right-most address not itself a trusted proxy.
    expect(await res.json()).toEqual({ ip: '203.0.113.7' });
  });
});
