/**
 * Credentials that can be cut off, on the real apps: a brand's keys have ids, a replaced key keeps
 * only routine rights during its grace period (the default, a day) and can be revoked at once;
 * a legacy user's secret can be replaced and the user deleted. And how a legacy user's secret is
 * stored: an HMAC under USER_SECRET_PEPPER, a former scrypt hash replaced by it on the next success.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { hashSecret } from '@app/auth';
import { TEST_USER_SECRET_PEPPER } from '../support/stack';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, createBrand } from './support/flows';
import type { ApiError, CreatedBrand, CreatedUser, LegacyEnvelope } from './support/http';

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({ label: 'credentials', generatorEnv: { DEV_OPEN_BRAND_API: undefined } });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const keyId = (apiKey: string) => `key_${createHash('sha256').update(apiKey).digest('hex').slice(0, 12)}`;

interface BrandKeys {
  brandId: string;
  current: { keyId: string };
  previous: { keyId: string; expiresAt: string } | null;
}

describe('a brand’s replaced API key', () => {
  let original: CreatedBrand;
  let current: string;

  beforeAll(async () => {
    original = await createBrand(stack, { id: 'keys', name: 'Keys' });
    await addCodes(stack, 'keys', 3);
    const rotated = await stack.gen.post<{ apiKey: string; keyId: string; previousKeyId: string }>(
      '/v1/brands/keys/api-keys',
      undefined,
      { token: original.apiKey },
    );
    expect(rotated.status).toBe(201);
    current = rotated.body.apiKey;
    expect(rotated.body).toMatchObject({ keyId: keyId(current), previousKeyId: keyId(original.apiKey) });
  });

  it('is listed by id with its expiry, beside the current key', async () => {
    const keys = await stack.gen.get<BrandKeys>('/v1/brands/keys/api-keys', { token: current });
    expect(keys.status).toBe(200);
    expect(keys.body).toEqual({
      brandId: 'keys',
      current: { keyId: keyId(current) },
      previous: { keyId: keyId(original.apiKey), expiresAt: expect.any(String) as unknown },
    });
    // A day by default (API_KEY_ROTATION_GRACE_SECONDS).
    expect(Date.parse(keys.body.previous!.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  });

  it('keeps routine rights but cannot change the webhook, list or export codes, or revoke keys', async () => {
    const old = { token: original.apiKey };
    expect((await stack.gen.get('/v1/brands/keys/stats', old)).status).toBe(200);
    expect((await stack.gen.patch('/v1/brands/keys', { name: 'Keys Inc' }, old)).status).toBe(200);
    const refused = [
      await stack.gen.patch<ApiError>(
        '/v1/brands/keys',
        { webhook: { url: 'https://hooks.example.com/x', secret: 'whsec_0123456789abcdefghijklmn' } },
        old,
      ),
      await stack.gen.get<ApiError>('/v1/brands/keys/codes', old),
      await stack.gen.get<ApiError>('/v1/brands/keys/codes.csv', old),
      await stack.gen.request<ApiError>('/v1/brands/keys/api-keys/previous', { ...old, method: 'DELETE' }),
      await stack.gen.post<ApiError>('/v1/brands/keys/api-keys', undefined, old),
    ];
    for (const res of refused) {
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 403, error: 'forbidden' });
      expect(res.body.message).toContain('This API key has been replaced');
    }
    // The current key can do all of it.
    expect((await stack.gen.get('/v1/brands/keys/codes', { token: current })).status).toBe(200);
    expect((await stack.gen.get('/v1/brands/keys/codes.csv', { token: current })).status).toBe(200);
  });

  it('stops working the moment the current key revokes it, long before its grace period ends', async () => {
    const revoked = await stack.gen.request('/v1/brands/keys/api-keys/previous', {
      token: current,
      method: 'DELETE',
    });
    expect(revoked.status).toBe(204);
    const old = await stack.gen.get<ApiError>('/v1/brands/keys/stats', { token: original.apiKey });
    expect({ status: old.status, error: old.body.error }).toEqual({ status: 401, error: 'unauthorized' });
    const keys = await stack.gen.get<BrandKeys>('/v1/brands/keys/api-keys', { token: current });
    expect(keys.body.previous).toBeNull();
    expect((await stack.gen.get('/v1/brands/keys/stats', { token: current })).status).toBe(200);
  });

  it('is 404 for an unknown brand (admin)', async () => {
    const res = await stack.genAdmin.request<ApiError>('/v1/brands/nobody/api-keys/previous', {
      method: 'DELETE',
    });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 404, error: 'brand_not_found' });
  });
});

describe('a legacy user’s secret', () => {
  const getCode = (userId: string, secret: string) =>
    stack.prov.get<LegacyEnvelope>(`/discounts/api/v1.0/get_code/${userId}/${secret}/keys`);

  it('can be replaced by the admin: the old one stops working at once, the new one works', async () => {
    const user = await stack.provAdmin.post<CreatedUser>('/v1/users', { userId: 'rotor' });
    expect(user.status).toBe(201);
    expect((await getCode('rotor', user.body.secret)).status).toBe(200);

    const replaced = await stack.provAdmin.post<CreatedUser>('/v1/users/rotor/secret', undefined);
    expect(replaced.status).toBe(201);
    expect(replaced.body.userId).toBe('rotor');
    expect(replaced.body.secret).not.toBe(user.body.secret);
    expect((await getCode('rotor', user.body.secret)).status).toBe(401);
    expect((await getCode('rotor', replaced.body.secret)).status).toBe(200);
  });

  it('ends with the user when the admin deletes them', async () => {
    const user = await stack.provAdmin.post<CreatedUser>('/v1/users', { userId: 'leaver' });
    expect((await getCode('leaver', user.body.secret)).status).toBe(200);
    const deleted = await stack.provAdmin.request('/v1/users/leaver', { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await getCode('leaver', user.body.secret)).status).toBe(401);
    const again = await stack.provAdmin.request<ApiError>('/v1/users/leaver', {
      method: 'DELETE',
    });
    expect({ status: again.status, error: again.body.error }).toEqual({ status: 404, error: 'not_found' });
  });

  it('is changed by the admin only', async () => {
    const res = await stack.prov.post<ApiError>('/v1/users/rotor/secret', undefined, {
      token: 'not-the-admin-token-0123456789',
    });
    expect(res.status).toBe(401);
  });
});

describe('a legacy user’s stored secret', () => {
  const getCode = (userId: string, secret: string) =>
    stack.prov.get<LegacyEnvelope>(`/discounts/api/v1.0/get_code/${userId}/${secret}/hashes`);
  const usersCollection = async () =>
    (await stack.db()).collection<{ _id: string; secretHash: string; createdAt: Date }>('users');
  const storedHash = async (userId: string) =>
    (await (await usersCollection()).findOne({ _id: userId }))?.secretHash;
  /** Computed here, not with the provider's code: the stored form must be exactly this. */
  const hmacOf = (secret: string) =>
    createHmac('sha256', TEST_USER_SECRET_PEPPER).update(secret).digest('base64url');
  const HMAC_FORM = /^hmac-sha256\$[A-Za-z0-9_-]{8}\$([A-Za-z0-9_-]{43})$/;
  const wrongFor = (secret: string) => `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;

  beforeAll(async () => {
    await createBrand(stack, { id: 'hashes', name: 'Hashes' });
    await addCodes(stack, 'hashes', 10);
  });

  it('is HMAC-SHA-256 under USER_SECRET_PEPPER for a new or rotated secret, which the legacy route accepts', async () => {
    const user = await stack.provAdmin.post<CreatedUser>('/v1/users', { userId: 'fresh' });
    expect(user.status).toBe(201);
    const stored = await storedHash('fresh');
    expect(stored).toMatch(HMAC_FORM);
    expect(HMAC_FORM.exec(stored!)![1]).toBe(hmacOf(user.body.secret));
    expect((await getCode('fresh', user.body.secret)).status).toBe(200);
    expect((await getCode('fresh', wrongFor(user.body.secret))).status).toBe(401);
    expect(await storedHash('fresh')).toBe(stored);

    const rotated = await stack.provAdmin.post<CreatedUser>('/v1/users/fresh/secret', undefined);
    expect(HMAC_FORM.exec((await storedHash('fresh'))!)![1]).toBe(hmacOf(rotated.body.secret));
    expect((await getCode('fresh', rotated.body.secret)).status).toBe(200);
  });

  it('replaces a scrypt hash (stored before the pepper) with the HMAC form on the first right secret, and only then', async () => {
    const secret = randomBytes(18).toString('base64url');
    const scrypt = await hashSecret(secret);
    await (await usersCollection()).insertOne({ _id: 'elder', secretHash: scrypt, createdAt: new Date() });

    expect((await getCode('elder', wrongFor(secret))).status).toBe(401);
    expect(await storedHash('elder')).toBe(scrypt);

    const first = await getCode('elder', secret);
    expect(first.status).toBe(200);
    const upgraded = await storedHash('elder');
    expect(HMAC_FORM.exec(upgraded!)?.[1]).toBe(hmacOf(secret));

    const again = await getCode('elder', secret);
    expect({ status: again.status, code: again.body.data }).toEqual({ status: 200, code: first.body.data });
    expect((await getCode('elder', wrongFor(secret))).status).toBe(401);
    expect(await storedHash('elder')).toBe(upgraded);
  });

  it('keeps scrypt for a secret too short to be safe under a fast hash (set by hand in the database)', async () => {
    const secret = 'short-chosen-1';
    const scrypt = await hashSecret(secret);
    await (await usersCollection()).insertOne({ _id: 'chooser', secretHash: scrypt, createdAt: new Date() });
    expect((await getCode('chooser', secret)).status).toBe(200);
    expect(await storedHash('chooser')).toBe(scrypt);
  });

  it('never puts the pepper in the provider’s logs', () => {
    expect(stack.provider.logs()).not.toContain(TEST_USER_SECRET_PEPPER);
  });
});
