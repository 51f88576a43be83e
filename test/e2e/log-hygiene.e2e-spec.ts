/**
 * The logs of both apps, at the most verbose level, after the predecessor's flow and the v1 flow
 * with every kind of credential (admin token, brand API keys, user JWTs, user secrets in the
 * legacy URL, webhook secrets chosen, generated and rotated), right and wrong: structured JSON
 * lines, with request ids, and not one credential in them.
 */
import { userToken } from './support/jwt';
import {
  GENERATOR_ADMIN_TOKEN,
  PROVIDER_ADMIN_TOKEN,
  startE2eStack,
  type E2eStack,
} from './support/e2e-stack';
import { addCodes, createBrand } from './support/flows';
import type { CreatedUser, LegacyEnvelope } from './support/http';
import { LOCAL_RECEIVER_ENV, WebhookReceiver } from './support/webhook-receiver';

let stack: E2eStack;
let receiver: WebhookReceiver;
const credentials: string[] = [GENERATOR_ADMIN_TOKEN, PROVIDER_ADMIN_TOKEN];

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  const env = { LOG_LEVEL: 'verbose', ...LOCAL_RECEIVER_ENV };
  stack = await startE2eStack({ label: 'loghygiene', generatorEnv: env, providerEnv: env });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

it('runs the predecessor’s flow and the v1 flow with right and wrong credentials', async () => {
  // The predecessor's flow: generate (as admin), register a user, get a code twice, a wrong secret.
  const generated = await stack.genAdmin.post<LegacyEnvelope>('/discounts/api/v1.0/generate', {
    brand_id: 7,
    number_of_codes: 5,
  });
  expect(generated.status).toBe(200);
  const user = await stack.provAdmin.post<CreatedUser>('/v1/users', {});
  expect(user.status).toBe(201);
  credentials.push(user.body.secret);
  const path = (secret: string) => `/discounts/api/v1.0/get_code/${user.body.userId}/${secret}/7`;
  expect((await stack.prov.get(path(user.body.secret))).status).toBe(200);
  expect((await stack.prov.get(path(user.body.secret))).status).toBe(200);
  const wrongSecret = 'Wr0ng-secret-value-42';
  credentials.push(wrongSecret);
  expect((await stack.prov.get(path(wrongSecret))).status).toBe(401);

  // v1: a brand with a webhook secret and an API key, claims with JWTs, wrong credentials.
  const webhookSecret = 'whsec-0123456789abcdef0123456789abcdef';
  credentials.push(webhookSecret);
  const brand = await createBrand(stack, {
    id: 'hygiene',
    name: 'Hygiene',
    webhook: { url: receiver.url('/hooks?token=query-secret-123'), secret: webhookSecret },
  });
  credentials.push(brand.apiKey, 'query-secret-123');
  await addCodes(stack, 'hygiene', 3);
  const stats = await stack.gen.get(`/v1/brands/hygiene/stats`, { token: brand.apiKey });
  expect(stats.status).toBe(200);
  const jwt = await userToken('hygiene-user');
  credentials.push(jwt);
  expect((await stack.prov.post('/v1/brands/hygiene/claims', undefined, { token: jwt })).status).toBe(201);
  const badJwt = await userToken('hygiene-user', { secret: 'another-secret-0123456789abcdef0123456789' });
  credentials.push(badJwt);
  expect((await stack.prov.post('/v1/brands/hygiene/claims', undefined, { token: badJwt })).status).toBe(401);
  const wrongKey = 'dk_' + 'x'.repeat(43);
  credentials.push(wrongKey);
  expect((await stack.gen.get('/v1/brands/hygiene/stats', { token: wrongKey })).status).toBe(401);
  const wrongAdmin = 'not-the-admin-token-0123456789';
  credentials.push(wrongAdmin);
  expect((await stack.gen.post('/v1/brands', { id: 'x', name: 'x' }, { token: wrongAdmin })).status).toBe(
    401,
  );
  // The right admin token at the wrong door (the public port): refused, and not logged either.
  const wrongDoor = await stack.gen.post(
    '/v1/brands',
    { id: 'x', name: 'x' },
    { token: GENERATOR_ADMIN_TOKEN },
  );
  expect(wrongDoor.status).toBe(403);
  await receiver.waitUntil(() => receiver.at('/hooks').length === 1, 30_000, 'the claim webhook');

  // A webhook secret the generator chose, shown once in the 201, then signing a delivery; and a
  // rotation, whose replaced secret signs too during its grace period.
  const chosenFor = await createBrand(stack, {
    id: 'hygiene-generated',
    name: 'Hygiene generated',
    webhook: { url: receiver.url('/generated') },
  });
  expect(chosenFor.webhookSecret).toMatch(/^whsec_/);
  credentials.push(chosenFor.webhookSecret!);
  const rotatedSecret = 'whsec_rotated-0123456789abcdef0123456789';
  credentials.push(rotatedSecret);
  const rotated = await stack.genAdmin.patch('/v1/brands/hygiene-generated', {
    webhook: { secret: rotatedSecret },
  });
  expect(rotated.status).toBe(200);
  await addCodes(stack, 'hygiene-generated', 1);
  const generatedJwt = await userToken('hygiene-generated-user');
  credentials.push(generatedJwt);
  expect(
    (await stack.prov.post('/v1/brands/hygiene-generated/claims', undefined, { token: generatedJwt })).status,
  ).toBe(201);
  await receiver.waitUntil(
    () => receiver.at('/generated').length === 1,
    30_000,
    'the generated brand’s webhook',
  );
  const signature = String(receiver.at('/generated')[0]!.headers['webhook-signature']);
  expect(signature.split(' ')).toHaveLength(2);
  credentials.push(signature);
}, 120_000);

describe.each(['generator', 'provider'] as const)('%s logs', (name) => {
  const lines = () =>
    stack[name]
      .logs()
      .split('\n')
      .filter((line) => line.trim() !== '');

  it('are JSON lines with level, time, service and message', () => {
    const all = lines();
    expect(all.length).toBeGreaterThan(20);
    for (const line of all) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed).toMatchObject({
        service: name,
        level: expect.any(String) as unknown,
        msg: expect.any(String) as unknown,
      });
      expect(typeof parsed.time).toBe('string');
    }
  });

  it('carry the request id of the request they belong to', () => {
    const access = lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.context === 'Http');
    expect(access.length).toBeGreaterThan(2);
    for (const entry of access) expect(entry.request_id).toEqual(expect.any(String));
  });

  it('contain no secret, token or API key', () => {
    const text = stack[name].logs();
    for (const credential of new Set(credentials)) {
      expect({ credential, found: text.includes(credential) }).toEqual({ credential, found: false });
    }
  });
});
