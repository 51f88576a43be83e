import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy';
import type { AttemptResult } from './retry-policy';
import { urlRefusal, type UrlRulesSettings } from './url-rules';

export interface WebhookTimeouts {
  /** Until the TCP (and TLS) connection is up. */
  readonly connectMs: number;
  /** The whole attempt, until the response status arrives. */
  readonly totalMs: number;
}

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

class BlockedAddressError extends Error {
  readonly code = 'EBLOCKED';
}

/**
 * POSTs one webhook. The host is resolved by a lookup that applies the address policy to every
 * address at connect time, so a name that resolved to a public address when the brand saved
 * the URL cannot be switched to an internal one later (DNS rebinding). Redirects are not
 * followed; the response body is not read. Every outcome comes back as an AttemptResult, never
 * as an exception.
 */
export class WebhookSender {
  constructor(
    private readonly policy: AddressPolicy,
    private readonly urlRules: UrlRulesSettings,
    private readonly timeouts: WebhookTimeouts,
  ) {}

  send(request: WebhookRequest): Promise<AttemptResult> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return Promise.resolve({ kind: 'invalid_url', reason: 'not a URL' });
    }
    // Settings may have tightened since the brand saved the URL.
    const ruleBroken = urlRefusal(url, this.urlRules);
    if (ruleBroken) return Promise.resolve({ kind: 'blocked', reason: `the URL ${ruleBroken}` });
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0) {
      const verdict = this.policy.check(literal);
      if (!verdict.allowed) return Promise.resolve({ kind: 'blocked', reason: verdict.reason });
    }
    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      let timedOut = false;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        resolve(result);
      };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req: ClientRequest = send(url, {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        // A fresh connection per attempt: every attempt resolves (and checks) the host again,
        // and a receiver that hangs holds nothing shared.
        agent: false,
        lookup: this.guardedLookup(),
      });
      const abort = () => {
        timedOut = true;
        req.destroy();
        finish({ kind: 'timeout' });
      };
      const connectTimer = setTimeout(abort, this.timeouts.connectMs);
      const totalTimer = setTimeout(abort, this.timeouts.totalMs);
      req.once('socket', (socket) => {
        const connected = () => clearTimeout(connectTimer);
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
      });
      req.once('response', (response: IncomingMessage) => {
        // Only the status matters; the socket is not reused, so close it instead of reading on.
        response.destroy();
        finish({ kind: 'response', statusCode: response.statusCode ?? 0 });
      });
      req.once('error', (error: NodeJS.ErrnoException) => {
        if (timedOut) return;
        if (error instanceof BlockedAddressError) finish({ kind: 'blocked', reason: error.message });
        else finish({ kind: 'connection_error', code: error.code ?? error.name });
      });
      req.end(request.body);
    });
  }

  /** dns.lookup, keeping only addresses the policy allows (and failing when none is left). */
  private guardedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 0);
        const verdicts = addresses.map((a) => ({ ...a, verdict: this.policy.check(a.address) }));
        const allowed = verdicts.filter((a) => a.verdict.allowed);
        if (allowed.length === 0) {
          const reasons = verdicts.map((a) => (a.verdict.allowed ? '' : a.verdict.reason)).filter(Boolean);
          return callback(
            new BlockedAddressError(`${hostname} resolves only to refused addresses (${reasons.join('; ')})`),
            '',
            0,
          );
        }
        if (options.all)
          return callback(
            null,
            allowed.map(({ address, family }) => ({ address, family })),
          );
        return callback(null, allowed[0]!.address, allowed[0]!.family);
      });
    };
  }
}
