/**
 * Secrets and HTTP hardening on the real apps: brand API key rotation with a grace period (then
 * the old key is refused), hashes at rest, JWTs without exp refused, security headers and CSP
 * (Swagger UI included), CORS closed by default, request ids, and the header size limit.
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { API_CSP, DOCS_CSP } from '@app/http';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import type { ApiError, CreatedBrand } from './support/http';
import { TEST_JWT_SECRET } from '../support/stack';

/** Grace period of a replaced key in this spec. */
const GRACE_SECONDS = 4;

let stack: E2eStack;
const secrets: string[] = [];

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'security',
    generatorEnv: { DEV_OPEN_BRAND_API: undefined, API_KEY_ROTATION_GRACE_SECONDS: String(GRACE_SECONDS) },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

interface RotatedKey {
  brandId: string;
  apiKey: string;
  keyId: string;
  previousKeyId: string;
  previousKeyExpiresAt: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

async function createBrand(id: string): Promise<CreatedBrand> {
  const res = await stack.genAdmin.post<CreatedBrand>('/v1/brands', { id, name: id });
  expect(res.status).toBe(201);
  secrets.push(res.body.apiKey);
  return res.body;
}

const statsStatus = async (brandId: string, token: string) =>
  (await stack.gen.get(`/v1/brands/${brandId}/stats`, { token })).status;

const rotate = (brandId: string, token: string) =>
  stack.gen.post<RotatedKey & ApiError>(`/v1/brands/${brandId}/api-keys`, undefined, { token });
/** As the admin: on the generator's admin port, with its admin token. */
const rotateAsAdmin = (brandId: string) =>
  stack.genAdmin.post<RotatedKey & ApiError>(`/v1/brands/${brandId}/api-keys`);

describe('brand API key rotation', () => {
  let original: CreatedBrand;
  let rotated: RotatedKey;

  it('issues a new key once, to the brand’s current key, and keeps only hashes', async () => {
    original = await createBrand('rotating');
    const before = Date.now();
    const res = await rotate('rotating', original.apiKey);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    rotated = res.body;
    secrets.push(rotated.apiKey);
    expect(rotated).toStrictEqual({
      brandId: 'rotating',
      apiKey: expect.stringMatching(/^dk_[A-Za-z0-9_-]{43}$/) as unknown,
      keyId: `key_${sha256(rotated.apiKey).slice(0, 12)}`,
      previousKeyId: `key_${sha256(original.apiKey).slice(0, 12)}`,
      previousKeyExpiresAt: expect.any(String) as unknown,
    });
    expect(rotated.apiKey).not.toBe(original.apiKey);
    const expiresAt = Date.parse(rotated.previousKeyExpiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + GRACE_SECONDS * 1000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + GRACE_SECONDS * 1000 + 1000);

    const doc = await (await stack.db()).collection('brands').findOne({ _id: 'rotating' as never });
    expect(doc).toMatchObject({
      apiKeyHash: sha256(rotated.apiKey),
      previousApiKeyHash: sha256(original.apiKey),
    });
    expect(JSON.stringify(doc)).not.toContain(rotated.apiKey);
    expect(JSON.stringify(doc)).not.toContain(original.apiKey);
  });

  it('accepts both keys during the grace period', async () => {
    expect(await statsStatus('rotating', rotated.apiKey)).toBe(200);
    expect(await statsStatus('rotating', original.apiKey)).toBe(200);
  });

  it('does not let the replaced key rotate (403), nor another brand’s key', async () => {
    const byOld = await rotate('rotating', original.apiKey);
    expect({ status: byOld.status, error: byOld.body.error }).toEqual({ status: 403, error: 'forbidden' });
    const stranger = await createBrand('stranger');
    const byStranger = await rotate('rotating', stranger.apiKey);
    expect({ status: byStranger.status, error: byStranger.body.error }).toEqual({
      status: 403,
      error: 'forbidden',
    });
    // Neither changed anything: the current key is still the rotated one.
    const doc = await (await stack.db()).collection('brands').findOne({ _id: 'rotating' as never });
    expect(doc?.apiKeyHash).toBe(sha256(rotated.apiKey));
  });

  it('refuses the replaced key once the grace period is over', async () => {
    const wait = Date.parse(rotated.previousKeyExpiresAt) - Date.now() + 300;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    const res = await stack.gen.get<ApiError>('/v1/brands/rotating/stats', { token: original.apiKey });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'unauthorized' });
    expect(await statsStatus('rotating', rotated.apiKey)).toBe(200);
  });

  it('lets the admin rotate any brand’s key; an unknown brand is 404', async () => {
    const res = await rotateAsAdmin('rotating');
    expect(res.status).toBe(201);
    secrets.push(res.body.apiKey);
    expect(await statsStatus('rotating', res.body.apiKey)).toBe(200);
    // The key it replaced (the first rotation's) is now the one in its grace period.
    expect(await statsStatus('rotating', rotated.apiKey)).toBe(200);
    const unknown = await rotateAsAdmin('no-such-brand');
    expect({ status: unknown.status, error: unknown.body.error }).toEqual({
      status: 404,
      error: 'brand_not_found',
    });
  });

  it('needs credentials', async () => {
    const res = await stack.gen.post<ApiError>('/v1/brands/rotating/api-keys');
    expect(res.status).toBe(401);
  });
});

describe('user tokens', () => {
  it('refuses a correctly signed JWT without exp (it would be valid forever)', async () => {
    const brand = await createBrand('jwt-brand');
    expect(brand.brandId).toBe('jwt-brand');
    const forever = await new SignJWT({ sub: 'forever-user' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const res = await stack.prov.post<ApiError>('/v1/brands/jwt-brand/claims', undefined, { token: forever });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'unauthorized' });
  });
});

describe('HTTP hardening on both apps', () => {
  const apps = () => [
    { name: 'generator', c: stack.gen },
    { name: 'provider', c: stack.prov },
  ];

  it('sends security headers, the API CSP, no-store and a request id on API answers', async () => {
    for (const { name, c } of apps()) {
      const res = await c.get('/health/live', { headers: { 'x-request-id': `probe-${name}` } });
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect({ name, headers: Object.fromEntries(res.headers) }).toMatchObject({
        name,
        headers: {
          'content-security-policy': API_CSP,
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'strict-transport-security': expect.any(String) as unknown,
          // Terminus sets its own "no-cache, no-store, must-revalidate" on health answers.
          'cache-control': expect.stringContaining('no-store') as unknown,
          'x-request-id': `probe-${name}`,
        },
      });
    }
  });

  it('serves Swagger UI under a CSP that allows exactly its own assets', async () => {
    for (const { c } of apps()) {
      const page = await c.get('/docs', { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(DOCS_CSP);
      // script-src 'self' and no 'unsafe-inline': every script must be a file of this origin.
      const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        expect(inline?.trim()).toBe('');
        expect(attributes).toMatch(/src=["'](\.\/|\/)?(docs\/)?[\w.-]+\.js["']/);
      }
      expect(page.text).not.toMatch(/\son[a-z]+=["']/i);
      for (const [, , src] of page.text.matchAll(/<(script|link)[^>]+(?:src|href)=["']([^"']+)["']/g)) {
        expect(src).not.toMatch(/^(https?:)?\/\//);
      }
      for (const asset of [
        '/docs/swagger-ui-bundle.js',
        '/docs/swagger-ui-init.js',
        '/docs/swagger-ui.css',
      ]) {
        const res = await c.get(asset, { headers: { accept: '*/*' } });
        expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      }
    }
  });

  it('keeps CORS closed by default: no Access-Control-Allow-Origin for any origin', async () => {
    for (const { c } of apps()) {
      const res = await c.request('/v1/brands', {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('answers over-large headers with 431 and stays healthy', async () => {
    for (const { c } of apps()) {
      const res = await c.get('/health/live', { headers: { 'x-padding': 'a'.repeat(20_000) } });
      expect(res.status).toBe(431);
      expect(JSON.parse(res.text)).toMatchObject({ statusCode: 431, error: 'headers_too_large' });
      expect((await c.get('/health/live')).status).toBe(200);
    }
  });

  it('never writes a key to the logs', () => {
    const logs = stack.generator.logs() + stack.provider.logs();
    expect(secrets.length).toBeGreaterThan(3);
    for (const secret of secrets)
      expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
  });
});
