/**
 * Brand webhooks end to end: the brand settings API (secret write-only, URLs checked against
 * SSRF), signed deliveries a receiver can verify, retries with backoff, dead letters and their
 * redelivery, the deliveries listing, and a hanging receiver that must not hold up another
 * brand. Real processes, real NATS, a real HTTP receiver.
 */
import { randomUUID } from 'node:crypto';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import {
  addCodes,
  claim,
  claimAll,
  createBrand,
  users,
  brandWithWebhook as withWebhook,
} from './support/flows';
import type { ApiError, Brand, CreatedBrand, WebhookDelivery, WebhookDeliveryPage } from './support/http';
import { eventually } from './support/poll';
import {
  LOCAL_RECEIVER_ENV,
  standardHeadersOf,
  standardWebhookFor,
  verifyLegacyWebhook,
  verifyStandardWebhook,
  verifyWebhook,
  WebhookReceiver,
} from './support/webhook-receiver';

const SECRET = 'whsec_e2e_0123456789abcdefghijklmnop';
const ROTATED = 'whsec_e2e_rotated_9876543210zyxwvuts';
const WEBHOOK_TIMEOUT_MS = 5_000;

let stack: E2eStack;
let receiver: WebhookReceiver;
/** Every secret and key handed out: none may appear in a log or an answer. */
const secrets = [SECRET, ROTATED];

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  stack = await startE2eStack({
    label: 'webhooks',
    generatorEnv: {
      DEV_OPEN_BRAND_API: undefined,
      LOG_LEVEL: 'debug',
      // The receiver runs on this machine: allow loopback 127.0.0.1 only, as a brand's private network would be.
      ...LOCAL_RECEIVER_ENV,
      WEBHOOK_BACKOFF_BASE_MS: '100',
      WEBHOOK_BACKOFF_MAX_MS: '400',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_TIMEOUT_MS: String(WEBHOOK_TIMEOUT_MS),
      WEBHOOK_CONNECT_TIMEOUT_MS: '500',
      WEBHOOK_MAX_IN_FLIGHT_PER_BRAND: '2',
      WEBHOOK_POLL_INTERVAL_MS: '100',
    },
    providerEnv: { LOG_LEVEL: 'debug' },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

async function brandWithWebhook(id: string, codes: number, path = `/${id}`): Promise<CreatedBrand> {
  const brand = await withWebhook(stack, { id, url: receiver.url(path), secret: SECRET, codes });
  secrets.push(brand.apiKey);
  return brand;
}

async function deliveries(brandId: string, query = ''): Promise<WebhookDeliveryPage> {
  const res = await stack.genAdmin.get<WebhookDeliveryPage>(
    `/v1/brands/${brandId}/webhook-deliveries${query}`,
  );
  expect(res.status).toBe(200);
  return res.body;
}

async function deliveryOf(brandId: string, eventId: string): Promise<WebhookDelivery | undefined> {
  return (await deliveries(brandId, '?limit=100')).items.find((d) => d.id === eventId);
}

async function eventIdOf(brandId: string, userId: string): Promise<string> {
  const doc = await (await stack.db()).collection('codes').findOne({ brandId, claimedBy: userId });
  if (!doc) throw new Error(`no claim of ${userId} at ${brandId}`);
  return String(doc.eventId);
}

describe('brand webhook settings', () => {
  it('are set at creation; the secret is never returned, only a hint', async () => {
    const brand = await createBrand(stack, {
      id: 'settings',
      name: 'Settings',
      webhook: { url: receiver.url('/settings?token=abc'), secret: SECRET },
      poolLowThreshold: 10,
      autoReplenish: { enabled: false, count: 100 },
    });
    secrets.push(brand.apiKey);
    expect(brand).toMatchObject({
      webhook: { url: receiver.url('/settings?token=abc'), secretHint: `…${SECRET.slice(-4)}` },
      poolLowThreshold: 10,
      autoReplenish: { enabled: false, count: 100 },
    });
    const read = await stack.gen.get<Brand>('/v1/brands/settings', { token: brand.apiKey });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ ...brand, apiKey: undefined, webhook: brand.webhook });
    expect(read.text).not.toContain(SECRET);
  });

  it('PATCH changes the URL keeping the secret, rotates the secret, and removes the webhook with null', async () => {
    // As the admin: the generator's admin port with its token.
    const admin = stack.genAdmin;
    const moved = await admin.patch<Brand>('/v1/brands/settings', {
      webhook: { url: receiver.url('/moved') },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.webhook).toMatchObject({
      url: receiver.url('/moved'),
      secretHint: `…${SECRET.slice(-4)}`,
    });
    const rotated = await admin.patch<Brand>('/v1/brands/settings', {
      webhook: { secret: ROTATED },
      name: 'Renamed',
    });
    expect(rotated.body).toMatchObject({
      name: 'Renamed',
      webhook: { url: receiver.url('/moved'), secretHint: `…${ROTATED.slice(-4)}` },
    });
    expect(rotated.text).not.toContain(ROTATED);
    const removed = await admin.patch<Brand>('/v1/brands/settings', {
      webhook: null,
      poolLowThreshold: null,
    });
    expect(removed.body).toMatchObject({
      webhook: null,
      poolLowThreshold: null,
      autoReplenish: { enabled: false, count: 100 },
    });
    const noSecret = await admin.patch<ApiError>('/v1/brands/settings', {
      webhook: { url: receiver.url('/x') },
    });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.message).toContain('webhook.secret is required');
  });

  it('a brand’s own key may change its settings, another brand’s key may not', async () => {
    const other = await createBrand(stack, { id: 'other-brand', name: 'Other' });
    secrets.push(other.apiKey);
    const denied = await stack.gen.patch<ApiError>(
      '/v1/brands/settings',
      { name: 'Hijacked' },
      { token: other.apiKey },
    );
    expect(denied.status).toBe(403);
    const own = await stack.gen.patch<Brand>(
      '/v1/brands/other-brand',
      { poolLowThreshold: 3 },
      { token: other.apiKey },
    );
    expect(own.status).toBe(200);
    expect(own.body.poolLowThreshold).toBe(3);
  });

  it.each<[string, unknown, string]>([
    ['a private address', { url: 'http://10.0.0.1/hook', secret: SECRET }, 'private address'],
    [
      'the cloud metadata address',
      { url: 'http://169.254.169.254/latest/meta-data', secret: SECRET },
      'link-local',
    ],
    ['IPv6 loopback', { url: 'http://[::1]:8080/hook', secret: SECRET }, 'loopback'],
    ['loopback outside the allow-list', { url: 'http://127.0.0.2:8080/hook', secret: SECRET }, 'loopback'],
    ['a unique-local IPv6 address', { url: 'http://[fd00::1]/hook', secret: SECRET }, 'unique-local'],
    [
      'IPv4-mapped IPv6 of a private address',
      { url: 'http://[::ffff:192.168.1.1]/', secret: SECRET },
      'private address',
    ],
    ['ftp', { url: 'ftp://example.com/hook', secret: SECRET }, 'http:// or https://'],
    ['credentials in the URL', { url: `http://user:pass@127.0.0.1:8080/`, secret: SECRET }, 'credentials'],
    ['not a URL', { url: 'hooks.example.com', secret: SECRET }, 'not a valid absolute URL'],
    [
      'a host that does not resolve',
      { url: 'http://no-such-host.invalid/hook', secret: SECRET },
      'could not be resolved',
    ],
    ['a short secret', { url: 'http://127.0.0.1/hook', secret: 'short' }, 'webhook.secret must be'],
    [
      'a secret with spaces',
      { url: 'http://127.0.0.1/hook', secret: 'a secret with spaces in it 0123456789' },
      'webhook.secret must be',
    ],
    ['an unknown field', { url: 'http://127.0.0.1/hook', secret: SECRET, retries: 3 }, 'unknown field'],
  ])('refuses %s (400) and changes nothing', async (_, webhook, message) => {
    const created = await stack.genAdmin.post<ApiError>('/v1/brands', {
      id: `refused-${randomUUID().slice(0, 8)}`,
      name: 'x',
      webhook,
    });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ statusCode: 400, error: 'invalid_input' });
    expect(created.body.message).toContain(message);
    const patched = await stack.genAdmin.patch<ApiError>('/v1/brands/other-brand', { webhook });
    expect(patched.status).toBe(400);
    const brands = await (
      await stack.db()
    )
      .collection('brands')
      .find({ _id: { $regex: '^refused-' } as never })
      .toArray();
    expect(brands).toEqual([]);
    expect((await stack.genAdmin.get<Brand>('/v1/brands/other-brand')).body.webhook).toBeNull();
  });
});

describe('signed deliveries', () => {
  it('a claim reaches the brand’s URL with a body and signature the receiver can verify', async () => {
    await brandWithWebhook('signed', 3);
    const answer = await claim(stack, 'signed', 'alice');
    expect(answer.status).toBe(201);
    await receiver.waitUntil(() => receiver.at('/signed').length === 1, 15_000, 'the signed webhook');
    const [hook] = receiver.at('/signed');
    const eventId = await eventIdOf('signed', 'alice');

    expect(hook!.json).toStrictEqual({
      eventId,
      type: 'code.claimed',
      version: 1,
      brandId: 'signed',
      code: answer.body.code,
      userId: 'alice',
      claimedAt: answer.body.claimedAt,
    });
    expect(hook!.headers).toMatchObject({
      'content-type': 'application/json',
      // Standard Webhooks: one signature (no rotation), the event id as the message id.
      'webhook-id': eventId,
      'webhook-timestamp': hook!.headers['x-discounts-timestamp'],
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/) as unknown,
      // Deprecated, still sent.
      'x-discounts-event-id': eventId,
      'x-discounts-delivery-attempt': '1',
      'x-discounts-timestamp': expect.stringMatching(/^\d{10}$/) as unknown,
      'x-discounts-signature': expect.stringMatching(/^v1=[0-9a-f]{64}$/) as unknown,
    });
    expect(Math.abs(Number(hook!.headers['x-discounts-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(verifyWebhook(SECRET, hook!.headers, hook!.body)).toBe(true);
    // The library hands back the parsed body once it verified.
    expect(standardWebhookFor(SECRET).verify(hook!.body, standardHeadersOf(hook!.headers))).toStrictEqual(
      hook!.json,
    );
  });

  it('a tampered body, another secret, or a replay outside the window fail verification', () => {
    const [hook] = receiver.at('/signed');
    const tampered = hook!.body.replace('"alice"', '"mallory"');
    expect(tampered).not.toBe(hook!.body);
    expect(verifyWebhook(SECRET, hook!.headers, tampered)).toBe(false);
    expect(verifyWebhook(ROTATED, hook!.headers, hook!.body)).toBe(false);
    const sent = Number(hook!.headers['x-discounts-timestamp']);
    expect(verifyWebhook(SECRET, hook!.headers, hook!.body, sent + 301)).toBe(false);
    expect(
      verifyWebhook(
        SECRET,
        { ...hook!.headers, 'x-discounts-timestamp': String(sent + 1) },
        hook!.body,
        sent,
      ),
    ).toBe(false);
    // Each scheme on its own: the Standard Webhooks one also binds the id and the timestamp.
    expect(verifyLegacyWebhook(SECRET, hook!.headers, tampered)).toBe(false);
    expect(verifyStandardWebhook(SECRET, hook!.headers, tampered)).toBe(false);
    expect(verifyStandardWebhook(ROTATED, hook!.headers, hook!.body)).toBe(false);
    for (const swapped of [
      { 'webhook-timestamp': String(sent + 1) },
      { 'webhook-id': randomUUID() },
      { 'webhook-signature': String(hook!.headers['x-discounts-signature']) },
    ])
      expect(verifyStandardWebhook(SECRET, { ...hook!.headers, ...swapped }, hook!.body)).toBe(false);
  });

  it('the delivery is listed as delivered, with its attempt', async () => {
    const eventId = await eventIdOf('signed', 'alice');
    await eventually(async () => expect((await deliveryOf('signed', eventId))?.status).toBe('delivered'));
    const delivery = (await deliveryOf('signed', eventId))!;
    expect(delivery).toMatchObject({
      eventType: 'code.claimed',
      redeliveries: 0,
      deadAt: null,
      nextAttemptAt: null,
    });
    expect(delivery.attempts).toEqual([
      {
        number: 1,
        at: expect.any(String) as unknown,
        outcome: 'delivered',
        statusCode: 200,
        error: null,
        durationMs: expect.any(Number) as unknown,
      },
    ]);
  });
});

describe('retries and dead letters', () => {
  it('retries 503 and 429 with growing delays, then succeeds', async () => {
    await brandWithWebhook('flaky', 2);
    receiver.answer('/flaky', 503, 429, 200);
    expect((await claim(stack, 'flaky', 'bob')).status).toBe(201);
    const eventId = await eventIdOf('flaky', 'bob');
    await eventually(async () => expect((await deliveryOf('flaky', eventId))?.status).toBe('delivered'), {
      timeoutMs: 15_000,
    });
    const hooks = receiver.at('/flaky');
    expect(hooks.map((h) => h.headers['x-discounts-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(hooks.map((h) => h.headers['x-discounts-event-id']))).toEqual(new Set([eventId]));
    // The Standard Webhooks id too: receivers drop the retries of a delivery they processed.
    expect(new Set(hooks.map((h) => h.headers['webhook-id']))).toEqual(new Set([eventId]));
    // Same body each time, signed afresh each time.
    expect(new Set(hooks.map((h) => h.body)).size).toBe(1);
    for (const hook of hooks) expect(verifyWebhook(SECRET, hook.headers, hook.body)).toBe(true);
    expect((await deliveryOf('flaky', eventId))!.attempts.map((a) => [a.outcome, a.statusCode])).toEqual([
      ['failed', 503],
      ['failed', 429],
      ['delivered', 200],
    ]);
  });

  it('a 4xx refusal is dead-lettered at once; redelivery sends it again and it is delivered', async () => {
    const brand = await brandWithWebhook('refusing', 2);
    receiver.answer('/refusing', 410);
    expect((await claim(stack, 'refusing', 'carol')).status).toBe(201);
    const eventId = await eventIdOf('refusing', 'carol');
    await eventually(async () => expect((await deliveryOf('refusing', eventId))?.status).toBe('dead'), {
      timeoutMs: 15_000,
    });
    const dead = (await deliveryOf('refusing', eventId))!;
    expect(dead.deadReason).toBe('HTTP 410 (not retried)');
    expect(dead.attempts).toHaveLength(1);
    expect(receiver.at('/refusing')).toHaveLength(1);

    receiver.answer('/refusing', 200);
    const redelivered = await stack.gen.post<WebhookDelivery>(
      `/v1/brands/refusing/webhook-deliveries/${eventId}/redeliver`,
      undefined,
      { token: brand.apiKey },
    );
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toMatchObject({ id: eventId, redeliveries: 1 });
    expect(['pending', 'delivered']).toContain(redelivered.body.status);
    await eventually(async () => expect((await deliveryOf('refusing', eventId))?.status).toBe('delivered'), {
      timeoutMs: 15_000,
    });
    expect(receiver.at('/refusing').map((h) => h.headers['x-discounts-delivery-attempt'])).toEqual([
      '1',
      '2',
    ]);
    expect((await deliveryOf('refusing', eventId))!.attempts.map((a) => a.statusCode)).toEqual([410, 200]);
  });

  it('a receiver failing every time is dead-lettered after WEBHOOK_MAX_ATTEMPTS (3), then redelivered', async () => {
    await brandWithWebhook('down', 2);
    receiver.answer('/down', 500);
    expect((await claim(stack, 'down', 'dave')).status).toBe(201);
    const eventId = await eventIdOf('down', 'dave');
    await eventually(async () => expect((await deliveryOf('down', eventId))?.status).toBe('dead'), {
      timeoutMs: 15_000,
    });
    expect((await deliveryOf('down', eventId))!.deadReason).toBe('HTTP 500 after 3 attempts');
    expect(receiver.at('/down')).toHaveLength(3);

    receiver.answer('/down', 200);
    const res = await stack.genAdmin.post(
      `/v1/brands/down/webhook-deliveries/${eventId}/redeliver`,
      undefined,
    );
    expect(res.status).toBe(202);
    await eventually(async () => expect((await deliveryOf('down', eventId))?.status).toBe('delivered'), {
      timeoutMs: 15_000,
    });
    const delivery = (await deliveryOf('down', eventId))!;
    expect(delivery.attempts.map((a) => a.number)).toEqual([1, 2, 3, 4]);
    expect(delivery.redeliveries).toBe(1);
  });

  it('a connection refused is retried like a 5xx', async () => {
    const closed = new WebhookReceiver();
    await closed.start();
    const url = closed.url('/gone');
    await closed.stop();
    await createBrand(stack, { id: 'refused-conn', name: 'x', webhook: { url, secret: SECRET } });
    await addCodes(stack, 'refused-conn', 1);
    expect((await claim(stack, 'refused-conn', 'erin')).status).toBe(201);
    const eventId = await eventIdOf('refused-conn', 'erin');
    await eventually(async () => expect((await deliveryOf('refused-conn', eventId))?.status).toBe('dead'), {
      timeoutMs: 15_000,
    });
    const delivery = (await deliveryOf('refused-conn', eventId))!;
    expect(delivery.attempts.map((a) => a.error)).toEqual([
      'connection error ECONNREFUSED',
      'connection error ECONNREFUSED',
      'connection error ECONNREFUSED',
    ]);
  });

  it('redeliver answers 409 for a delivery that is not dead, 404 for an unknown one, 403 for another brand', async () => {
    const eventId = await eventIdOf('signed', 'alice');
    const notDead = await stack.genAdmin.post<ApiError>(
      `/v1/brands/signed/webhook-deliveries/${eventId}/redeliver`,
      undefined,
    );
    expect(notDead.status).toBe(409);
    expect(notDead.body.error).toBe('invalid_state');
    const unknown = await stack.genAdmin.post<ApiError>(
      `/v1/brands/signed/webhook-deliveries/${randomUUID()}/redeliver`,
      undefined,
    );
    expect(unknown.status).toBe(404);
    const otherKey = secrets[secrets.length - 1]!;
    const forbidden = await stack.gen.post<ApiError>(
      `/v1/brands/signed/webhook-deliveries/${eventId}/redeliver`,
      undefined,
      {
        token: otherKey,
      },
    );
    expect(forbidden.status).toBe(403);
    const malformed = await stack.genAdmin.post<ApiError>(
      '/v1/brands/signed/webhook-deliveries/not-an-id/redeliver',
      undefined,
    );
    expect(malformed.status).toBe(400);
  });
});

describe('the deliveries listing', () => {
  it('pages through a brand’s deliveries newest first, and filters by status', async () => {
    await brandWithWebhook('listed', 5);
    const claimed = await claimAll(stack, 'listed', users('lister', 5), 5);
    expect(claimed.every((a) => a.status === 201)).toBe(true);
    await eventually(
      async () => expect((await deliveries('listed', '?status=delivered&limit=100')).items).toHaveLength(5),
      {
        timeoutMs: 15_000,
      },
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: WebhookDeliveryPage = await deliveries(
        'listed',
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(new Set(receiver.eventIds('/listed')));
    expect(seen).toHaveLength(5);
    expect((await deliveries('listed', '?status=dead')).items).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit must be'],
    ['limit=101', 'limit must be'],
    ['limit=abc', 'limit must be'],
    ['status=lost', 'status must be one of'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor is not'],
    ['page=2', 'unknown field'],
  ])('refuses ?%s (400)', async (query, message) => {
    const res = await stack.genAdmin.get<ApiError>(`/v1/brands/listed/webhook-deliveries?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });
});

describe('isolation between brands', () => {
  it('a brand whose receiver hangs does not delay another brand’s deliveries', async () => {
    await brandWithWebhook('hanging', 6);
    await brandWithWebhook('prompt', 6);
    receiver.answer('/hanging', 'hang');
    const slowClaims = await claimAll(stack, 'hanging', users('hang', 6), 6);
    expect(slowClaims.every((a) => a.status === 201)).toBe(true);
    // The hanging brand's attempts are in flight (they hang until WEBHOOK_TIMEOUT_MS).
    await receiver.waitUntil(
      () => receiver.at('/hanging').length >= 2,
      10_000,
      'the hanging brand’s first attempts',
    );

    const started = Date.now();
    const fastClaims = await claimAll(stack, 'prompt', users('prompt', 6), 6);
    expect(fastClaims.every((a) => a.status === 201)).toBe(true);
    await receiver.waitUntil(
      () => receiver.eventIds('/prompt').size === 6,
      10_000,
      'the prompt brand’s webhooks',
    );
    const finished = Date.now();
    // Before the hanging attempts even time out: the prompt brand never waited for their slots.
    expect(finished - started).toBeLessThan(WEBHOOK_TIMEOUT_MS - 1_000);
    // Meanwhile the hanging brand held exactly its 2 slots (WEBHOOK_MAX_IN_FLIGHT_PER_BRAND): its
    // other 4 deliveries wait their turn instead of piling onto the receiver.
    expect(receiver.at('/hanging').filter((h) => h.at <= finished)).toHaveLength(2);
    const hangingDeliveries = (await deliveries('hanging', '?limit=100')).items;
    expect(hangingDeliveries).toHaveLength(6);
    expect(hangingDeliveries.filter((d) => d.status === 'delivered')).toEqual([]);
  }, 60_000);
});

describe('hygiene', () => {
  it('no secret, API key or webhook query string appears in any log', () => {
    const logs = stack.generator.logs() + stack.provider.logs();
    expect(logs.length).toBeGreaterThan(1_000);
    for (const secret of new Set(secrets)) expect(logs).not.toContain(secret);
    expect(logs).not.toContain('token=abc');
  });

  it('no process failed or logged an error', () => {
    for (const app of [stack.provider, stack.generator]) {
      expect(app.child.exitCode).toBeNull();
      const errors = app
        .logs()
        .split('\n')
        .filter((line) => /"level":"(error|fatal)"/.test(line));
      expect(errors).toEqual([]);
    }
  });
});
