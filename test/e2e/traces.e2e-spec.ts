/**
 * Traces across both services: with an OTLP endpoint set, one claim on the predecessor's route
 * (the user's secret in its path) yields spans from the provider and the generator under one
 * trace id — HTTP server, MongoDB, the NATS publish and consume, and the webhook client call,
 * whose traceparent the brand's receiver gets — and the secret appears in no span. Without an
 * endpoint, tracing stays off (no export is attempted).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, claim, createBrand } from './support/flows';
import type { CreatedUser, LegacyEnvelope } from './support/http';
import { eventually } from './support/poll';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { userToken } from './support/jwt';
import { LOCAL_RECEIVER_ENV, WebhookReceiver } from './support/webhook-receiver';

const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 };
const LEGACY_ROUTE = '/discounts/api/v1.0/get_code/:user_id/:user_secret/:brand_id';
const VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

let stack: E2eStack;
let otlp: OtlpReceiver;
let webhooks: WebhookReceiver;

beforeAll(async () => {
  otlp = await new OtlpReceiver().start();
  webhooks = await new WebhookReceiver().start();
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=e2e',
  };
  stack = await startE2eStack({
    label: 'traces',
    // The generator's operator overrides the namespace the apps set themselves.
    generatorEnv: {
      ...otel,
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=e2e,service.namespace=shop',
      ...LOCAL_RECEIVER_ENV,
    },
    providerEnv: otel,
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await otlp?.stop();
  await webhooks?.stop();
}, 60_000);

const inTrace = (traceId: string) => otlp.spans.filter((s) => s.traceId === traceId);

it('one claim on the predecessor’s route is one trace across both services, through NATS to the webhook', async () => {
  await createBrand(stack, {
    id: 'traced',
    name: 'Traced',
    webhook: { url: webhooks.url('/traced'), secret: 'traced-webhook-secret-0123456789' },
  });
  await addCodes(stack, 'traced', 5);
  const user = await stack.provAdmin.post<CreatedUser>('/v1/users', {});
  expect(user.status).toBe(201);
  const res = await stack.prov.get<LegacyEnvelope>(
    `/discounts/api/v1.0/get_code/${user.body.userId}/${user.body.secret}/traced`,
  );
  expect(res.status).toBe(200);
  await webhooks.waitUntil(() => webhooks.at('/traced').length === 1, 30_000, 'the claim webhook');

  const server = await eventually(
    () => {
      const span = otlp.spans.find((s) => s.service === 'provider' && s.name === `GET ${LEGACY_ROUTE}`);
      expect(span).toBeDefined();
      return Promise.resolve(span!);
    },
    { timeoutMs: 20_000 },
  );
  expect(server.kind).toBe(SPAN_KIND.server);
  expect(server.attributes['http.route']).toBe(LEGACY_ROUTE);

  // The webhook's traceparent continues the same trace.
  const traceparent = String(webhooks.at('/traced')[0]!.headers.traceparent);
  expect(traceparent).toMatch(new RegExp(`^00-${server.traceId}-[0-9a-f]{16}-0[01]$`));

  const has = (predicate: (s: ReceivedSpan) => boolean) => inTrace(server.traceId).some(predicate);
  await eventually(
    () => {
      expect({
        providerMongo: has(
          (s) =>
            s.service === 'provider' &&
            String(s.attributes['db.system'] ?? s.attributes['db.system.name']) === 'mongodb',
        ),
        published: has((s) => s.service === 'provider' && s.kind === SPAN_KIND.producer),
        consumed: has((s) => s.service === 'generator' && s.kind === SPAN_KIND.consumer),
        webhookCall: has(
          (s) => s.service === 'generator' && s.kind === SPAN_KIND.client && s.name === 'POST webhook',
        ),
      }).toEqual({ providerMongo: true, published: true, consumed: true, webhookCall: true });
      return Promise.resolve();
    },
    { timeoutMs: 20_000 },
  );
  // Every span of the trace has a parent in it, except the root: one connected trace.
  const spans = inTrace(server.traceId);
  const ids = new Set(spans.map((s) => s.spanId));
  expect(spans.filter((s) => s.parentSpanId === '' || !ids.has(s.parentSpanId)).map((s) => s.name)).toEqual([
    server.name,
  ]);
  expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['provider', 'generator']));

  // Producer spans follow the messaging conventions: `publish <subject>`, operation type send.
  const producer = spans.find((s) => s.service === 'provider' && s.kind === SPAN_KIND.producer)!;
  expect(producer.name).toBe('publish discounts.events.v1.code.claimed');
  expect(producer.attributes).toMatchObject({
    'messaging.system': 'nats',
    'messaging.destination.name': 'discounts.events.v1.code.claimed',
    'messaging.operation.type': 'send',
    'messaging.operation.name': 'publish',
  });
  expect(producer.attributes['messaging.operation']).toBeUndefined();
  const consumer = spans.find((s) => s.service === 'generator' && s.kind === SPAN_KIND.consumer)!;
  expect(consumer.attributes['messaging.operation.type']).toBe('process');

  // Resources: the apps' namespace and version, under what OTEL_RESOURCE_ATTRIBUTES says.
  const resources = (service: string) => spans.filter((s) => s.service === service).map((s) => s.resource);
  for (const resource of resources('provider')) {
    expect(resource).toMatchObject({
      'service.name': 'provider',
      'service.namespace': 'discounts',
      'service.version': VERSION,
      'deployment.environment': 'e2e',
    });
  }
  for (const resource of resources('generator')) {
    expect(resource).toMatchObject({
      'service.name': 'generator',
      'service.namespace': 'shop',
      'service.version': VERSION,
    });
  }

  // No secret anywhere in what was exported: names, attributes, resources.
  const exported = otlp.bodies.join('\n');
  expect(exported).not.toContain(user.body.secret);
  // The path was recorded, with the secret segment censored (so the check above means something).
  expect(JSON.stringify(server.attributes)).toContain(`get_code/${user.body.userId}/[redacted]/traced`);
  expect(exported).not.toContain('traced-webhook-secret');
  expect(exported).toContain('deployment.environment');
}, 90_000);

it('a v1 claim traces too, and its bearer token appears in no span', async () => {
  const token = await userToken('trace-user');
  expect((await claim(stack, 'traced', 'trace-user')).status).toBe(201);
  await eventually(
    () => {
      expect(
        otlp.spans.some((s) => s.name === 'POST /v1/brands/:brandId/claims' && s.service === 'provider'),
      ).toBe(true);
      return Promise.resolve();
    },
    { timeoutMs: 20_000 },
  );
  expect(otlp.bodies.join('\n')).not.toContain(token.split('.')[2]!);
  // Probes are not traced.
  expect(otlp.spans.some((s) => s.name.includes('/health/'))).toBe(false);
});

it("a caller's tracestate and baggage are neither stored with the claim nor sent to the brand", async () => {
  const callerTrace = '0af7651916cd43dd8448eb211c80319c';
  const res = await stack.prov.post(`/v1/brands/traced/claims`, undefined, {
    token: await userToken('trace-state-user'),
    headers: {
      traceparent: `00-${callerTrace}-b7ad6b7169203331-01`,
      tracestate: 'caller-vendor=opaque-value',
      baggage: 'user.email=someone%40example.com',
    },
  });
  expect(res.status).toBe(201);
  const mine = () => webhooks.at('/traced').find((w) => w.json.userId === 'trace-state-user');
  await webhooks.waitUntil(() => mine() !== undefined, 30_000, "the caller's claim webhook");
  const delivered = mine()!.headers;
  // The caller's trace goes on; what the caller put beside it does not.
  expect(String(delivered.traceparent)).toMatch(new RegExp(`^00-${callerTrace}-[0-9a-f]{16}-01$`));
  expect(delivered.tracestate).toBeUndefined();
  expect(delivered.baggage).toBeUndefined();
  const stored = await (
    await stack.db()
  )
    .collection('codes')
    .findOne({ brandId: 'traced', claimedBy: 'trace-state-user' });
  expect(Object.keys((stored?.traceContext ?? {}) as object)).toEqual(['traceparent']);
}, 60_000);
