/**
 * What a brand sets up for its lifecycle webhooks, end to end: the event types its webhook
 * receives (code.claimed only, as before, unless it chooses; PATCH changes the choice, null goes
 * back to the default, bad choices are a 400 that changes nothing), the test route that reports
 * what a real receiver answered (200, 500, down) and stores no delivery, and the OpenAPI document
 * of both. Real processes, real NATS, a real HTTP receiver that checks every signature. What
 * reaches the brands that chose the other events: lifecycle-webhook-deliveries.e2e-spec.ts.
 */
import { webhookTestV1Schema } from '@app/contracts';
import { freePort } from '../support/stack';
import type { E2eStack } from './support/e2e-stack';
import { createBrand } from './support/flows';
import type { ApiError, Brand, CreatedBrand } from './support/http';
import {
  INLINE_MAX,
  LIFECYCLE_WEBHOOK_SECRET as SECRET,
  LifecycleWebhookStack,
  WAIT_MS,
} from './support/lifecycle-webhooks';
import type { WebhookReceiver } from './support/webhook-receiver';

interface WebhookTestAnswer {
  delivered: boolean;
  status: number | null;
  durationMs: number;
  error?: string;
}

interface BrandWithEvents extends Omit<Brand, 'webhook'> {
  webhook: { url: string; secretHint: string; updatedAt: string; events?: string[] } | null;
}

const lifecycle = new LifecycleWebhookStack();
const {
  brandWithWebhook,
  claimRedeemRollback,
  codeEventsRelayed,
  completedJob,
  deliveryTypes,
  jobEndRelayed,
  received,
} = lifecycle;
let stack: E2eStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  ({ stack, receiver } = await lifecycle.start('lifecycle-webhook-settings'));
}, 120_000);

afterAll(async () => {
  await lifecycle.stop();
}, 60_000);

describe('choosing event types', () => {
  it('a brand that never chose sees no events field and gets code.claimed only, as before', async () => {
    const brand = await brandWithWebhook('never-chose');
    expect(brand.webhook).not.toHaveProperty('events');
    const read = await stack.gen.get<BrandWithEvents>('/v1/brands/never-chose', { token: brand.apiKey });
    expect(read.body.webhook).toEqual({
      url: receiver.url('/never-chose'),
      secretHint: `…${SECRET.slice(-4)}`,
      updatedAt: brand.webhook!.updatedAt,
    });
    const job = await completedJob('never-chose', INLINE_MAX + 50);
    const { code } = await claimRedeemRollback(brand, 'nc-user', 'nc-order');

    await jobEndRelayed(job.jobId);
    await codeEventsRelayed('never-chose');
    await receiver.waitUntil(() => receiver.at('/never-chose').length >= 1, WAIT_MS, 'the claim');
    expect(await deliveryTypes('never-chose')).toEqual(['code.claimed']);
    expect(received('never-chose').map((w) => [w.json.type, w.json.code])).toEqual([['code.claimed', code]]);
  });

  it('a brand that chose only code.claimed gets only those', async () => {
    const brand = await brandWithWebhook('claims-only', ['code.claimed']);
    expect(brand.webhook).toMatchObject({ events: ['code.claimed'] });
    const job = await completedJob('claims-only', INLINE_MAX + 50);
    await claimRedeemRollback(brand, 'co-user', 'co-order');

    await jobEndRelayed(job.jobId);
    await codeEventsRelayed('claims-only');
    await receiver.waitUntil(() => receiver.at('/claims-only').length >= 1, WAIT_MS, 'the claim');
    expect(await deliveryTypes('claims-only')).toEqual(['code.claimed']);
    expect(received('claims-only', 'code.claimed')).toHaveLength(1);
  });

  it('PATCH changes the choice keeping URL and secret; null goes back to the default', async () => {
    await brandWithWebhook('switcher');
    const chosen = await stack.genAdmin.patch<BrandWithEvents>('/v1/brands/switcher', {
      webhook: { events: ['job.failed', 'code.redeemed', 'job.failed'] },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.webhook).toMatchObject({
      url: receiver.url('/switcher'),
      secretHint: `…${SECRET.slice(-4)}`,
      // Each type once, in the documented order.
      events: ['code.redeemed', 'job.failed'],
    });
    const moved = await stack.genAdmin.patch<BrandWithEvents>('/v1/brands/switcher', {
      webhook: { url: receiver.url('/switcher-2') },
    });
    expect(moved.body.webhook).toMatchObject({ events: ['code.redeemed', 'job.failed'] });
    const reset = await stack.genAdmin.patch<BrandWithEvents>('/v1/brands/switcher', {
      webhook: { events: null },
    });
    expect(reset.status).toBe(200);
    expect(reset.body.webhook).not.toHaveProperty('events');
    expect(reset.body.webhook?.url).toBe(receiver.url('/switcher-2'));
  });

  it.each<[string, unknown, string]>([
    ['an unknown type', ['code.claimed', '*'], 'webhook.events has unknown event type(s) "*"'],
    ['webhook.test', ['webhook.test'], 'unknown event type(s) "webhook.test"'],
    ['an empty list', [], 'webhook.events must name at least one event type'],
    ['a string', 'code.claimed', 'webhook.events must be a list of event types'],
    ['a number in the list', [1], 'unknown event type(s) 1'],
  ])('refuses %s (400 invalid_input) and changes nothing', async (_, events, message) => {
    const before = await stack.genAdmin.get<BrandWithEvents>('/v1/brands/never-chose');
    const patched = await stack.genAdmin.patch<ApiError>('/v1/brands/never-chose', { webhook: { events } });
    expect(patched.status).toBe(400);
    expect(patched.body).toMatchObject({ statusCode: 400, error: 'invalid_input' });
    expect(patched.body.message).toContain(message);
    expect((await stack.genAdmin.get<BrandWithEvents>('/v1/brands/never-chose')).body).toEqual(before.body);
    const created = await stack.genAdmin.post<ApiError>('/v1/brands', {
      id: 'never-created',
      name: 'x',
      webhook: { url: receiver.url('/x'), secret: SECRET, events },
    });
    expect(created.status).toBe(400);
    expect(created.body.message).toContain(message);
    expect((await stack.genAdmin.get('/v1/brands/never-created')).status).toBe(404);
  });
});

describe('POST /v1/brands/{brandId}/webhook/test', () => {
  let brand: CreatedBrand;
  const test = (brandId = 'tester', token = brand.apiKey) =>
    stack.gen.post<WebhookTestAnswer & ApiError>(`/v1/brands/${brandId}/webhook/test`, undefined, { token });

  beforeAll(async () => {
    brand = await brandWithWebhook('tester', ['job.failed']);
  });

  it('sends a signed webhook.test and reports a 200', async () => {
    const res = await test();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ delivered: true, status: 200, durationMs: expect.any(Number) as unknown });
    const [webhook, ...more] = received('tester');
    expect(more).toHaveLength(0);
    expect(webhookTestV1Schema.parse(webhook!.json)).toMatchObject({
      type: 'webhook.test',
      brandId: 'tester',
    });
    expect(webhook!.headers['x-discounts-delivery-attempt']).toBe('1');
  });

  it('reports a receiver’s 500, after one attempt', async () => {
    receiver.answer('/tester', 500);
    const res = await test();
    receiver.answer('/tester', 200);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      delivered: false,
      status: 500,
      durationMs: expect.any(Number) as unknown,
      error: 'HTTP 500',
    });
    expect(received('tester')).toHaveLength(2);
  });

  it('reports a receiver that is down', async () => {
    const closed = await freePort();
    const moved = await stack.genAdmin.patch('/v1/brands/tester', {
      webhook: { url: `http://127.0.0.1:${closed}/down` },
    });
    expect(moved.status).toBe(200);
    const res = await test();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: false, status: null });
    expect(res.body.error).toContain('ECONNREFUSED');
  });

  it('stores no delivery and works with the admin token too', async () => {
    expect((await stack.genAdmin.post<WebhookTestAnswer>('/v1/brands/tester/webhook/test')).status).toBe(200);
    expect(await deliveryTypes('tester')).toEqual([]);
  });

  it('is 409 invalid_state without a webhook, 403 for another brand’s key, 404 for an unknown brand', async () => {
    const bare = await createBrand(stack, { id: 'no-webhook', name: 'No webhook' });
    const none = await test('no-webhook', bare.apiKey);
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ error: 'invalid_state' });
    expect(none.body.message).toContain('no webhook');
    expect((await test('tester', bare.apiKey)).status).toBe(403);
    expect((await stack.genAdmin.post<ApiError>('/v1/brands/nobody/webhook/test')).status).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents the test route and the choice of event types', async () => {
    type Doc = {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const doc = (await stack.gen.get<Doc>('/docs/json')).body;
    expect(doc.paths['/v1/brands/{brandId}/webhook/test']?.post).toBeDefined();
    for (const schema of ['WebhookRequest', 'WebhookChangeRequest', 'WebhookResponse']) {
      expect(doc.components.schemas[schema]?.properties.events).toMatchObject({
        type: 'array',
        items: { enum: expect.arrayContaining(['code.claimed', 'job.completed']) as unknown },
      });
    }
    expect(doc.components.schemas.WebhookTestResponse?.properties).toHaveProperty('delivered');
  });
});
