/**
 * A real HTTP server standing in for brands' webhook endpoints: it records every request (raw
 * body and headers) and answers per path as the test says (a status, a sequence of statuses, or
 * no answer at all to simulate a hanging receiver). Signatures are verified as receivers do: the
 * Standard Webhooks headers with the `standardwebhooks` library itself, the deprecated
 * X-Discounts-Signature from the README's description, both independently of the service's
 * signing code. Only the choice of how a secret keys the HMAC is the generator's own
 * (webhookSecretFormat): the tests must hand the library the secret the way the generator used it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
// The rule deciding a secret's format is production's, used as is so the two cannot drift.
// eslint-disable-next-line no-restricted-imports
import { webhookSecretFormat } from '../../../apps/generator/src/webhooks/standard-webhook-signature';

/**
 * What the generator needs to reach this receiver: it listens on loopback over plain http on a
 * random port, which production refuses (public https on 443 only). Port 80 stays allowed so
 * refusals of private addresses on the default port still name the address.
 */
export const LOCAL_RECEIVER_ENV = {
  WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_PORTS: '80,1024-65535',
} as const;

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** JSON.parse(body) */
  json: Record<string, unknown>;
  at: number;
}

/** An HTTP status, or 'hang': read the request and never answer. */
export type Answer = number | 'hang';

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly answers = new Map<string, Answer[]>();
  private readonly sockets = new Set<Socket>();
  private readonly waiters: Array<() => void> = [];
  private readonly server = createServer((req, res) => this.handle(req, res));
  port = 0;

  async start(): Promise<this> {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Answers for `path`, used in order; the last one repeats. Default: 200. */
  answer(path: string, ...answers: Answer[]): void {
    this.answers.set(path, answers);
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Distinct event ids received at `path`. */
  eventIds(path: string): Set<string> {
    return new Set(this.at(path).map((r) => String(r.headers['x-discounts-event-id'])));
  }

  /** Resolves once `predicate` holds; rejects after timeoutMs saying what was there. */
  async waitUntil(predicate: () => boolean, timeoutMs: number, what = 'webhooks'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} (${this.received.length} received)`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // recorded as is; the test notices
      }
      this.received.push({ path: path.split('?')[0]!, headers: req.headers, body, json, at: Date.now() });
      for (const wake of this.waiters.splice(0)) wake();
      const queue = this.answers.get(path.split('?')[0]!) ?? [200];
      const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
      if (answer === 'hang') return;
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  }
}

/**
 * Both signatures a delivery carries verify with `secret`: the Standard Webhooks one (with the
 * library, against the real clock) and the deprecated one (against `nowSeconds`).
 */
export function verifyWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  return (
    verifyStandardWebhook(secret, headers, rawBody) &&
    verifyLegacyWebhook(secret, headers, rawBody, nowSeconds, toleranceSeconds)
  );
}

/**
 * What the README tells receivers to do with a secret: `new Webhook(secret)` for a `whsec_`
 * secret in base64, the raw-key option (the secret's own bytes) for any other.
 */
export function standardWebhookFor(secret: string): Webhook {
  return webhookSecretFormat(secret) === 'whsec'
    ? new Webhook(secret)
    : new Webhook(secret, { format: 'raw' });
}

/** `webhook-id`, `webhook-timestamp` and `webhook-signature` verify with `secret`, by the library's `verify`. */
export function verifyStandardWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  rawBody: string,
): boolean {
  try {
    standardWebhookFor(secret).verify(rawBody, standardHeadersOf(headers));
    return true;
  } catch {
    return false;
  }
}

/** The Standard Webhooks headers of a request, as a receiver hands them to the library's `verify`. */
export function standardHeadersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const standard: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = headers[name];
    if (typeof value === 'string') standard[name] = value;
  }
  return standard;
}

/**
 * The deprecated scheme, as the README described it: recompute HMAC-SHA256(secret, timestamp +
 * "." + raw body), compare in constant time with the v1= value, refuse timestamps older than the
 * window.
 */
export function verifyLegacyWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const signature = String(headers['x-discounts-signature'] ?? '');
  const timestamp = String(headers['x-discounts-timestamp'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  return (
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}

/**
 * Whether the delivery was signed before `instant` whatever the rounding: `webhook-timestamp` is
 * the signing time in whole seconds, taken after the secrets were chosen.
 */
export function signedSurelyBefore(hook: ReceivedWebhook, instant: number): boolean {
  return (Number(hook.headers['webhook-timestamp']) + 1) * 1_000 <= instant;
}

/** Resolves once the wall clock is past `instant` (a known instant, not a guess at the code's pace). */
export async function untilPast(instant: number): Promise<void> {
  const left = instant + 1 - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}
