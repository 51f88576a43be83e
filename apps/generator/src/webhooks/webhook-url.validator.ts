import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/contracts';
import { withTimeout } from '@app/scheduling';
import { WEBHOOK_CONFIG, type WebhookConfig } from '../generator.config';
import { AddressPolicy } from './address-policy';
import { urlRefusal } from './url-rules';

export const WEBHOOK_URL_MAX_LENGTH = 2_048;
const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * Checks a webhook URL when a brand sets it: https (http only where WEBHOOK_ALLOW_HTTP says so)
 * on an allowed port, no credentials in it, and a host that resolves only to public unicast
 * addresses (or ranges WEBHOOK_ALLOWED_CIDRS lists). The sender checks again on every attempt,
 * because DNS answers and settings can change.
 */
@Injectable()
export class WebhookUrlValidator {
  readonly policy: AddressPolicy;

  constructor(@Inject(WEBHOOK_CONFIG) private readonly settings: WebhookConfig) {
    this.policy = new AddressPolicy(settings.allowedRanges);
  }

  async validate(raw: string): Promise<string> {
    const refuse = (why: string) => new DomainError('invalid_input', `webhook.url ${why}`);
    if (raw.length > WEBHOOK_URL_MAX_LENGTH)
      throw refuse(`must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw refuse('is not a valid absolute URL');
    }
    const ruleBroken = urlRefusal(url, this.settings);
    if (ruleBroken) throw refuse(ruleBroken);
    if (url.username || url.password) throw refuse('must not contain credentials; use the webhook secret');
    if (url.hash) throw refuse('must not contain a fragment (#…)');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) !== 0 ? [host] : await this.resolve(host, refuse);
    for (const address of addresses) {
      const verdict = this.policy.check(address);
      if (!verdict.allowed) {
        throw refuse(`points to ${verdict.reason}; webhooks may target public unicast addresses only`);
      }
    }
    return url.toString();
  }

  private async resolve(host: string, refuse: (why: string) => DomainError): Promise<string[]> {
    try {
      const answers = await withTimeout(lookup(host, { all: true, verbatim: true }), LOOKUP_TIMEOUT_MS);
      if (answers.length === 0) throw new Error('no address');
      return answers.map((a) => a.address);
    } catch {
      throw refuse(`host ${host} could not be resolved`);
    }
  }
}
