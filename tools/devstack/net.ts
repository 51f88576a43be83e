import { Buffer } from 'node:buffer';
import http, { type IncomingHttpHeaders } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A TCP port nothing listens on right now (on any local address). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true when something accepts a TCP connection on host:port within timeoutMs. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when `port` can be bound on all addresses and nothing answers on 127.0.0.1:port. */
export async function isPortFree(port: number): Promise<boolean> {
  const bindable = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
  return bindable && !(await canConnect('127.0.0.1', port, 500));
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** False once the process that should answer has died: the wait ends at once. */
  isAlive?: () => boolean;
}

/** Polls until host:port accepts connections; rejects on timeout or when isAlive() turns false. */
export async function waitForPort(
  host: string,
  port: number,
  { timeoutMs = 30_000, intervalMs = 200, isAlive }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(host, port, 1000)) return;
    if (isAlive && !isAlive()) throw new Error(`process exited before ${host}:${port} accepted connections`);
    if (Date.now() >= deadline)
      throw new Error(`nothing accepted connections on ${host}:${port} within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** One HTTP request; resolves {status, headers, body} (body as text). Never follows redirects. */
export function httpRequest(
  url: string,
  {
    method = 'GET',
    headers = {},
    body,
    timeoutMs = 5000,
  }: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const allHeaders: Record<string, string | number> = { ...headers };
    if (payload !== undefined) {
      if (!Object.keys(allHeaders).some((h) => h.toLowerCase() === 'content-type')) {
        allHeaders['content-type'] = 'application/json';
      }
      allHeaders['content-length'] = Buffer.byteLength(payload);
    }
    const req = http.request(url, { method, headers: allHeaders, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Polls `url` until it answers `status` (default 200). Rejects after timeoutMs, or as soon as
 * isAlive() returns false (the server process died), with the last status or error seen.
 */
export async function waitForHttp(
  url: string,
  { timeoutMs = 60_000, status = 200, intervalMs = 250, isAlive }: WaitOptions & { status?: number } = {},
): Promise<HttpResponse> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const res = await httpRequest(url, { timeoutMs: Math.min(5000, Math.max(500, deadline - Date.now())) });
      if (res.status === status) return res;
      last = `HTTP ${res.status} ${res.body.slice(0, 300)}`;
    } catch (err) {
      const { code, message } = err as NodeJS.ErrnoException;
      last = code ?? message;
    }
    if (isAlive && !isAlive())
      throw new Error(`process exited before ${url} answered ${status} (last: ${last})`);
    if (Date.now() >= deadline)
      throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
    await sleep(intervalMs);
  }
}

/** {host, port} of a nats:// or mongodb:// URL (first host of a list). */
export function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const first = url.split(',')[0]!.trim();
  const u = new URL(/^[a-z+]+:\/\//i.test(first) ? first : `nats://${first}`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || defaultPort) };
}
