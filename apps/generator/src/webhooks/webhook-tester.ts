import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, WEBHOOK_TEST_EVENT_TYPE, type WebhookTestV1 } from '@app/contracts';
import { BrandsRepository } from '@app/persistence';
import { WEBHOOK_CONFIG, type WebhookConfig } from '../generator.config';
import { describeResult, isSuccess } from './retry-policy';
import { postSigned } from './signed-post';
import type { WebhookTestResponse } from './webhook-test.dto';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { WebhookUrlValidator } from './webhook-url.validator';

/**
 * The test waits for its one attempt within the request: at most this long, whatever
 * WEBHOOK_TIMEOUT_MS allows real deliveries, so a hanging receiver cannot hold the caller long.
 */
export const WEBHOOK_TEST_MAX_TIMEOUT_MS = 10_000;

/**
 * Sends a brand's webhook one signed `webhook.test` event, as a real delivery is sent (same
 * signature, headers, URL rules and address policy at connect time), and reports the receiver's
 * answer. One attempt, never stored, never retried: the answer is the caller's to read.
 */
@Injectable()
export class WebhookTester {
  private readonly sender: WebhookSender;

  constructor(
    @Inject(WEBHOOK_CONFIG) settings: WebhookConfig,
    urls: WebhookUrlValidator,
    private readonly brands: BrandsRepository,
    private readonly secrets: WebhookSecrets,
  ) {
    const totalMs = Math.min(settings.timeoutMs, WEBHOOK_TEST_MAX_TIMEOUT_MS);
    this.sender = new WebhookSender(urls.policy, settings, {
      connectMs: Math.min(settings.connectTimeoutMs, totalMs),
      totalMs,
    });
  }

  async test(brandId: string): Promise<WebhookTestResponse> {
    const { webhook } = await this.brands.get(brandId);
    if (!webhook) {
      throw new DomainError(
        'invalid_state',
        `Brand ${brandId} has no webhook to test; set one with PATCH /v1/brands/${brandId}`,
      );
    }
    const body: WebhookTestV1 = {
      eventId: randomUUID(),
      type: WEBHOOK_TEST_EVENT_TYPE,
      version: 1,
      brandId,
      sentAt: new Date().toISOString(),
    };
    const started = Date.now();
    const result = await postSigned(
      this.sender,
      { id: body.eventId, payload: body },
      { url: webhook.url, secrets: this.secrets.signingSecrets(webhook) },
      1,
    );
    const delivered = isSuccess(result);
    return {
      delivered,
      status: result.kind === 'response' ? result.statusCode : null,
      durationMs: Date.now() - started,
      ...(delivered ? {} : { error: describeResult(result) }),
    };
  }
}
