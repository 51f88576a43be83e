/**
 * Webhook secrets at rest and their rotation. The database holds them sealed (AES-256-GCM, key
 * id stored with each value), never in clear. After a key rotation (a new key listed first, the
 * old one still listed) the generator reseals every stored secret under the new key, secrets
 * stored before sealing and replaced secrets still in their grace period included, and
 * deliveries keep verifying with the brand's secrets; then the old key can go. A brand that sets
 * a new secret gets deliveries signed with the new and the replaced one (Standard Webhooks
 * signatures, space-separated) until WEBHOOK_SECRET_ROTATION_GRACE_SECONDS ends, then with the
 * new one alone; every delivery is checked with the `standardwebhooks` library.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, brandWithWebhook, claim, createBrand } from './support/flows';
import type { Brand, CreatedBrand } from './support/http';
import { eventually } from './support/poll';
import {
  LOCAL_RECEIVER_ENV,
  signedSurelyBefore,
  standardHeadersOf,
  untilPast,
  verifyLegacyWebhook,
  verifyStandardWebhook,
  verifyWebhook,
  WebhookReceiver,
  type ReceivedWebhook,
} from './support/webhook-receiver';
import { TEST_WEBHOOK_SECRET_KEYS } from '../support/stack';

const SECRET = 'whsec_sealed_at_rest_0123456789abcdef';
const LEGACY_SECRET = 'whsec_stored_before_sealing_0123456789';
const NEW_KEY = `k2:${randomBytes(32).toString('base64')}`;
/**
 * Short, so the test sees a grace period end. Deliveries are judged by when they were signed
 * against the end the rotation answered, so a slow machine cannot fail the test, only make fewer
 * of them fall within the grace period; the first (a test event, one HTTP round trip after the
 * rotation) always does.
 */
const GRACE_SECONDS = 20;
/** A Standard Webhooks secret, and one chosen before the convention (keyed by its own bytes). */
const FIRST = `whsec_${randomBytes(32).toString('base64')}`;
const SECOND = 'chosen-before-the-convention/0123456789';
const THIRD = `whsec_${randomBytes(32).toString('base64')}`;

let stack: E2eStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  stack = await startE2eStack({
    label: 'secrets',
    generatorEnv: {
      DEV_OPEN_BRAND_API: undefined,
      ...LOCAL_RECEIVER_ENV,
      WEBHOOK_SECRET_ROTATION_GRACE_SECONDS: String(GRACE_SECONDS),
    },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

interface StoredWebhook {
  secret: string;
  previousSecret?: string;
  previousSecretExpiresAt?: Date;
}

async function storedWebhooks(): Promise<Record<string, StoredWebhook | undefined>> {
  const brands = await (
    await stack.db()
  )
    .collection<{ _id: string; webhook?: StoredWebhook }>('brands')
    .find()
    .toArray();
  return Object.fromEntries(brands.map((b) => [b._id, b.webhook]));
}

async function storedSecrets(): Promise<Record<string, string>> {
  const webhooks = await storedWebhooks();
  return Object.fromEntries(Object.entries(webhooks).map(([id, webhook]) => [id, webhook?.secret ?? '']));
}

async function testEvent(brandId: string): Promise<ReceivedWebhook> {
  const before = receiver.at(`/${brandId}`).length;
  const res = await stack.genAdmin.post<{ delivered: boolean }>(`/v1/brands/${brandId}/webhook/test`);
  expect(res.body).toMatchObject({ delivered: true });
  return receiver.at(`/${brandId}`)[before]!;
}

async function rotate(brandId: string, secret: string): Promise<Brand> {
  const res = await stack.genAdmin.patch<Brand>(`/v1/brands/${brandId}`, { webhook: { secret } });
  expect(res.status).toBe(200);
  expect(res.text).not.toContain(secret);
  return res.body;
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

it('gives a webhook created without a secret a generated whsec_ one, shown once, that verifies deliveries', async () => {
  const created = await stack.genAdmin.post<CreatedBrand>('/v1/brands', {
    id: 'generated',
    name: 'Generated secret',
    webhook: { url: receiver.url('/generated') },
  });
  expect(created.status).toBe(201);
  const generated = created.body.webhookSecret!;
  expect(generated).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(created.body.webhook).toMatchObject({ secretHint: `…${generated.slice(-4)}` });
  const read = await stack.genAdmin.get<Brand>('/v1/brands/generated');
  expect(read.text).not.toContain(generated);
  expect(read.body).not.toHaveProperty('webhookSecret');
  expect(JSON.stringify((await storedWebhooks()).generated)).not.toContain(generated);
  await addCodes(stack, 'generated', 1);
  const hook = await claimAndReceive('generated', 'u1');
  // The secret as given, no option: a whsec_ secret is what the library takes.
  expect(new Webhook(generated).verify(hook.body, standardHeadersOf(hook.headers))).toStrictEqual(hook.json);
  expect(verifyWebhook(generated, hook.headers, hook.body)).toBe(true);
  expect(stack.generator.logs()).not.toContain(generated);
});

it('keys a whsec_ secret whose base64 is not canonical by its decoded bytes, as the library does', async () => {
  // Node and the library ignore the unused bits of the last base64 character; a receiver's
  // helper that round-trips the base64 would take the secret for a raw one and fail to verify.
  const canonical = randomBytes(32).toString('base64');
  const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lastChar = canonical[42]!;
  const loose = `whsec_${canonical.slice(0, 42)}${BASE64[BASE64.indexOf(lastChar) + 1]}=`;
  expect(Buffer.from(loose.slice(6), 'base64').toString('base64')).not.toBe(loose.slice(6));
  await createBrand(stack, {
    id: 'loose-base64',
    name: 'Loose base64',
    webhook: { url: receiver.url('/loose-base64'), secret: loose },
  });
  const hook = await testEvent('loose-base64');
  expect(new Webhook(loose).verify(hook.body, standardHeadersOf(hook.headers))).toStrictEqual(hook.json);
  expect(verifyWebhook(loose, hook.headers, hook.body)).toBe(true);
});

describe('rotating a brand’s secret', () => {
  it('signs with the new and the replaced secret during the grace period, then with the new one alone', async () => {
    // No delivery before the rotation: the dispatcher holds no cached settings of the brand.
    await brandWithWebhook(stack, {
      id: 'rotating',
      url: receiver.url('/rotating'),
      secret: FIRST,
      codes: 5,
    });
    const rotated = await rotate('rotating', SECOND);
    expect(rotated.webhook).toMatchObject({
      secretHint: `…${SECOND.slice(-4)}`,
      previousSecretHint: `…${FIRST.slice(-4)}`,
    });
    const expiresAt = Date.parse(rotated.webhook!.previousSecretExpiresAt!);
    expect(expiresAt - Date.now()).toBeGreaterThan((GRACE_SECONDS - 5) * 1_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(GRACE_SECONDS * 1_000);

    const during = [await testEvent('rotating'), await claimAndReceive('rotating', 'u1')];
    // The test event is signed one round trip after the rotation answered: well within the grace.
    expect(signedSurelyBefore(during[0]!, expiresAt)).toBe(true);
    for (const hook of during) {
      // The new secret's signature comes first and verifies, whenever the delivery was signed.
      expect(verifyStandardWebhook(SECOND, hook.headers, hook.body)).toBe(true);
      expect(
        verifyStandardWebhook(`whsec_${randomBytes(32).toString('base64')}`, hook.headers, hook.body),
      ).toBe(false);
      // The deprecated header carries the new secret's signature only, as before rotations had a grace period.
      expect(verifyLegacyWebhook(SECOND, hook.headers, hook.body)).toBe(true);
      expect(verifyLegacyWebhook(FIRST, hook.headers, hook.body)).toBe(false);
      // Signed before the grace period ended: both, and a receiver holding the replaced secret
      // verifies it with the library too. Signed within the second of its end: either.
      const signatures = String(hook.headers['webhook-signature']).split(' ');
      if (signedSurelyBefore(hook, expiresAt)) expect(signatures).toHaveLength(2);
      expect(verifyStandardWebhook(FIRST, hook.headers, hook.body)).toBe(signatures.length === 2);
    }

    // After the end the rotation answered (a wall-clock instant), the brand's answer no longer
    // shows the replaced secret and deliveries carry the new secret's signature alone.
    await untilPast(expiresAt);
    const read = await stack.genAdmin.get<Brand>('/v1/brands/rotating');
    expect(read.body.webhook).not.toHaveProperty('previousSecretHint');
    expect(read.body.webhook).not.toHaveProperty('previousSecretExpiresAt');
    const after = [await claimAndReceive('rotating', 'u2'), await testEvent('rotating')];
    for (const hook of after) {
      expect(String(hook.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(verifyWebhook(SECOND, hook.headers, hook.body)).toBe(true);
      expect(verifyStandardWebhook(FIRST, hook.headers, hook.body)).toBe(false);
    }
  }, 90_000);

  it('keeps one replaced secret: a second rotation replaces it; setting the same secret changes nothing', async () => {
    await brandWithWebhook(stack, { id: 'twice', url: receiver.url('/twice'), secret: FIRST, codes: 1 });
    await rotate('twice', SECOND);
    const third = `whsec_${randomBytes(24).toString('base64')}`;
    const again = await rotate('twice', third);
    expect(again.webhook).toMatchObject({ previousSecretHint: `…${SECOND.slice(-4)}` });
    const hook = await testEvent('twice');
    expect(verifyStandardWebhook(third, hook.headers, hook.body)).toBe(true);
    expect(verifyStandardWebhook(SECOND, hook.headers, hook.body)).toBe(true);
    expect(verifyStandardWebhook(FIRST, hook.headers, hook.body)).toBe(false);
    const same = await rotate('twice', third);
    expect(same.webhook).toMatchObject({
      previousSecretHint: `…${SECOND.slice(-4)}`,
      previousSecretExpiresAt: again.webhook!.previousSecretExpiresAt,
    });
    const stored = (await storedWebhooks()).twice!;
    expect(stored.previousSecret).toMatch(/^v1\.test\./);
    expect(JSON.stringify(stored)).not.toContain(SECOND);
  });
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

  // A brand mid-rotation (its grace period made long here, to outlast the restarts), and one
  // whose replaced secret's grace period is over.
  await brandWithWebhook(stack, {
    id: 'mid-rotation',
    url: receiver.url('/mid-rotation'),
    secret: FIRST,
    codes: 1,
  });
  await rotate('mid-rotation', SECOND);
  // A value sealed under the key about to go, to store again once no listed key opens it.
  const underRemovedKey = (await storedWebhooks())['mid-rotation']!.previousSecret!;
  expect(underRemovedKey).toMatch(/^v1\.test\./);
  await brandWithWebhook(stack, {
    id: 'rotated-long-ago',
    url: receiver.url('/rotated-long-ago'),
    secret: FIRST,
    codes: 1,
  });
  await rotate('rotated-long-ago', SECOND);
  const brands = (await stack.db()).collection<{ _id: string }>('brands');
  await brands.updateOne(
    { _id: 'mid-rotation' },
    { $set: { 'webhook.previousSecretExpiresAt': new Date(Date.now() + 3_600_000) } },
  );
  await brands.updateOne(
    { _id: 'rotated-long-ago' },
    { $set: { 'webhook.previousSecretExpiresAt': new Date(Date.now() - 1_000) } },
  );

  await stack.restart('generator', {
    env: { WEBHOOK_SECRET_KEYS: `${NEW_KEY},${TEST_WEBHOOK_SECRET_KEYS}` },
  });
  await eventually(
    async () => {
      const stored = await storedSecrets();
      expect(stored.sealed).toMatch(/^v1\.k2\./);
      expect(stored.legacy).toMatch(/^v1\.k2\./);
      const webhooks = await storedWebhooks();
      expect(webhooks['mid-rotation']).toMatchObject({
        secret: expect.stringMatching(/^v1\.k2\./) as unknown,
        previousSecret: expect.stringMatching(/^v1\.k2\./) as unknown,
      });
      // Nothing signs with it any more: dropped rather than resealed.
      expect(webhooks['rotated-long-ago']).not.toHaveProperty('previousSecret');
      expect(webhooks['rotated-long-ago']?.secret).toMatch(/^v1\.k2\./);
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
  const midRotation = await testEvent('mid-rotation');
  expect(verifyWebhook(SECOND, midRotation.headers, midRotation.body)).toBe(true);
  expect(verifyStandardWebhook(FIRST, midRotation.headers, midRotation.body)).toBe(true);

  // A secret sealed under a key already removed (say, removed too early) blocks nothing else.
  // The replaced one is left out of the signature; the current one still signs.
  await brands.updateOne({ _id: 'mid-rotation' }, { $set: { 'webhook.previousSecret': underRemovedKey } });
  const withoutReplaced = await testEvent('mid-rotation');
  expect(String(withoutReplaced.headers['webhook-signature']).split(' ')).toHaveLength(1);
  expect(verifyWebhook(SECOND, withoutReplaced.headers, withoutReplaced.body)).toBe(true);
  // A current one fails its deliveries, and setting a new secret, the way out, works (no grace).
  await brands.updateOne({ _id: 'rotated-long-ago' }, { $set: { 'webhook.secret': underRemovedKey } });
  const recovered = await rotate('rotated-long-ago', THIRD);
  expect(recovered.webhook).not.toHaveProperty('previousSecretHint');
  const afterRecovery = await testEvent('rotated-long-ago');
  expect(String(afterRecovery.headers['webhook-signature']).split(' ')).toHaveLength(1);
  expect(verifyWebhook(THIRD, afterRecovery.headers, afterRecovery.body)).toBe(true);
  expect(stack.generator.logs()).toContain('which WEBHOOK_SECRET_KEYS no longer lists');
  for (const secret of [LEGACY_SECRET, FIRST, SECOND, THIRD])
    expect(stack.generator.logs()).not.toContain(secret);
}, 120_000);
