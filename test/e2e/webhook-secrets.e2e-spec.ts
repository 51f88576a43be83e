/**
 * Webhook secrets at rest: the database holds them sealed (AES-256-GCM, key id stored with each
 * value), never in clear. After a key rotation (a new key listed first, the old one still listed)
 * the generator reseals every stored secret under the new key, secrets stored before sealing
 * included, and deliveries keep verifying with the brand's secret; then the old key can go.
 */
import { randomBytes } from 'node:crypto';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { brandWithWebhook, claim } from './support/flows';
import { eventually } from './support/poll';
import { LOCAL_RECEIVER_ENV, verifyWebhook, WebhookReceiver } from './support/webhook-receiver';
import { TEST_WEBHOOK_SECRET_KEYS } from '../support/stack';

const SECRET = 'whsec_sealed_at_rest_0123456789abcdef';
const LEGACY_SECRET = 'whsec_stored_before_sealing_0123456789';
const NEW_KEY = `k2:${randomBytes(32).toString('base64')}`;

let stack: E2eStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  stack = await startE2eStack({
    label: 'secrets',
    generatorEnv: { DEV_OPEN_BRAND_API: undefined, ...LOCAL_RECEIVER_ENV },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

async function storedSecrets(): Promise<Record<string, string>> {
  const brands = await (
    await stack.db()
  )
    .collection<{ _id: string; webhook?: { secret: string } }>('brands')
    .find()
    .toArray();
  return Object.fromEntries(brands.map((b) => [b._id, b.webhook?.secret ?? '']));
}

/** Claims one code of the brand and returns the webhook it caused, once it arrived. */
async function claimAndReceive(brandId: string, userId: string) {
  const before = receiver.at(`/${brandId}`).length;
  expect((await claim(stack, brandId, userId)).status).toBe(201);
  await receiver.waitUntil(() => receiver.at(`/${brandId}`).length > before, 30_000, `${brandId}'s webhook`);
  return receiver.at(`/${brandId}`)[before]!;
}

it('stores the secret sealed under the current key, never in clear, and signs with it', async () => {
  const brand = await brandWithWebhook(stack, {
    id: 'sealed',
    url: receiver.url('/sealed'),
    secret: SECRET,
    codes: 5,
  });
  const stored = await storedSecrets();
  expect(stored.sealed).toMatch(/^v1\.test\./);
  const docs = JSON.stringify(await (await stack.db()).collection('brands').find().toArray());
  expect(docs).not.toContain(SECRET);
  // The API shows its last four characters only.
  expect(brand.webhook).toMatchObject({ secretHint: `…${SECRET.slice(-4)}` });
  const hook = await claimAndReceive('sealed', 'u1');
  expect(verifyWebhook(SECRET, hook.headers, hook.body)).toBe(true);
});

it('reseals every secret under a new key put first, and deliveries still verify; then the old key can go', async () => {
  // A brand whose secret was stored before sealing existed (an older version's database).
  await brandWithWebhook(stack, {
    id: 'legacy',
    url: receiver.url('/legacy'),
    secret: LEGACY_SECRET,
    codes: 5,
  });
  await (
    await stack.db()
  )
    .collection<{ _id: string }>('brands')
    .updateOne(
      { _id: 'legacy' },
      { $set: { 'webhook.secret': LEGACY_SECRET }, $unset: { 'webhook.secretHint': '' } },
    );

  await stack.restart('generator', {
    env: { WEBHOOK_SECRET_KEYS: `${NEW_KEY},${TEST_WEBHOOK_SECRET_KEYS}` },
  });
  await eventually(
    async () => {
      const stored = await storedSecrets();
      expect(stored.sealed).toMatch(/^v1\.k2\./);
      expect(stored.legacy).toMatch(/^v1\.k2\./);
    },
    { timeoutMs: 30_000 },
  );
  expect(JSON.stringify(await (await stack.db()).collection('brands').find().toArray())).not.toContain(
    LEGACY_SECRET,
  );
  const sealedHook = await claimAndReceive('sealed', 'u2');
  expect(verifyWebhook(SECRET, sealedHook.headers, sealedHook.body)).toBe(true);

  // Nothing is left under the old key: it can be removed.
  await stack.restart('generator', { env: { WEBHOOK_SECRET_KEYS: NEW_KEY } });
  const legacyHook = await claimAndReceive('legacy', 'u3');
  expect(verifyWebhook(LEGACY_SECRET, legacyHook.headers, legacyHook.body)).toBe(true);
  expect(stack.generator.logs()).not.toContain(LEGACY_SECRET);
}, 120_000);
