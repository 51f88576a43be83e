import type { CodeClaimedV1 } from './events';
import {
  codeClaimedWebhook,
  codeClaimedWebhookV1Schema,
  STANDARD_WEBHOOK_HEADERS,
  WEBHOOK_HEADERS,
} from './webhooks';

const event: CodeClaimedV1 = {
  eventId: '0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a',
  type: 'code.claimed',
  version: 1,
  brandId: 'acme',
  code: '7U7I845L',
  userId: 'user-1',
  claimedAt: '2024-05-01T12:34:56.789Z',
};

describe('code.claimed webhook body v1', () => {
  it('carries event id, type, version, brand, code, user and claim time, and nothing else', () => {
    const body = codeClaimedWebhook(event);
    expect(body).toStrictEqual({
      eventId: event.eventId,
      type: 'code.claimed',
      version: 1,
      brandId: 'acme',
      code: '7U7I845L',
      userId: 'user-1',
      claimedAt: '2024-05-01T12:34:56.789Z',
    });
    expect(codeClaimedWebhookV1Schema.parse(body)).toStrictEqual(body);
  });

  it('is mapped field by field: an internal field added to the event does not leak', () => {
    const body = codeClaimedWebhook({ ...event, internal: 'x' } as CodeClaimedV1);
    expect(body).not.toHaveProperty('internal');
  });

  it('names its headers in lower case, all distinct', () => {
    const names = [...Object.values(WEBHOOK_HEADERS), ...Object.values(STANDARD_WEBHOOK_HEADERS)];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toBe(name.toLowerCase());
  });

  it('uses the Standard Webhooks header names', () => {
    expect(STANDARD_WEBHOOK_HEADERS).toStrictEqual({
      id: 'webhook-id',
      timestamp: 'webhook-timestamp',
      signature: 'webhook-signature',
    });
  });
});
