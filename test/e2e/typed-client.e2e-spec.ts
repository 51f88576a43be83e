/**
 * The published API as an artefact, against the running apps: /docs/json serves exactly the
 * committed openapi/*.json, and the typed client generated from them (@app/client) drives the
 * main flow — brand, codes, user, claim, stats — and gets errors typed as ApiError.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'openapi-fetch';
import { createGeneratorClient, createProviderClient, type ApiError, type ErrorCode } from '@app/client';
import {
  GENERATOR_ADMIN_TOKEN,
  PROVIDER_ADMIN_TOKEN,
  startE2eStack,
  type E2eStack,
} from './support/e2e-stack';
import { userToken } from './support/jwt';

let stack: E2eStack;

beforeAll(async () => {
  // Keys enforced (no DEV_OPEN_BRAND_API), so the client's auth header is what lets calls in.
  stack = await startE2eStack({ label: 'typed-client', generatorEnv: { DEV_OPEN_BRAND_API: undefined } });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

type App = 'generator' | 'provider';
const committedDocument = (app: App): string =>
  readFileSync(join(__dirname, '..', '..', 'openapi', `${app}.json`), 'utf8');

/** Every answer the clients below got, by app, operation and status, to check against the documents. */
const observed = new Set<string>();
const recordedBy = (app: App): Middleware => ({
  onResponse({ request, response, schemaPath }) {
    observed.add(`${app} ${request.method.toLowerCase()} ${schemaPath} ${response.status}`);
    return undefined;
  },
});
const generatorClient = (...args: Parameters<typeof createGeneratorClient>) => {
  const client = createGeneratorClient(...args);
  client.use(recordedBy('generator'));
  return client;
};
const providerClient = (...args: Parameters<typeof createProviderClient>) => {
  const client = createProviderClient(...args);
  client.use(recordedBy('provider'));
  return client;
};

const adminUrl = (handle: { name: string; adminUrl: string | null }): string => {
  if (!handle.adminUrl) throw new Error(`${handle.name} runs without ADMIN_PORT`);
  return handle.adminUrl;
};

describe('the committed OpenAPI documents', () => {
  it.each(['generator', 'provider'] as const)('are what %s serves at /docs/json', async (app) => {
    const committed = committedDocument(app);
    const res = await (app === 'generator' ? stack.gen : stack.prov).get<unknown>('/docs/json');
    expect(res.status).toBe(200);
    // Key order too: the served document is built by the same code as the committed one.
    expect(JSON.stringify(res.body)).toBe(JSON.stringify(JSON.parse(committed)));
  });
});

describe('the typed client', () => {
  it('registers a brand, generates codes, registers a user, claims a code and reads the stats', async () => {
    const admin = generatorClient(adminUrl(stack.generator), GENERATOR_ADMIN_TOKEN);
    const created = await admin.POST('/v1/brands', { body: { id: 'typed-acme', name: 'Typed Acme' } });
    expect(created.response.status).toBe(201);
    const { brandId, apiKey } = created.data!;
    expect({ brandId, apiKey: typeof apiKey }).toEqual({ brandId: 'typed-acme', apiKey: 'string' });

    // A trailing slash on the base URL, as a user may well write it.
    const brand = generatorClient(`${stack.generator.url}/`, apiKey);
    const batch = await brand.POST('/v1/brands/{brandId}/codes', {
      params: { path: { brandId } },
      body: { count: 20, prefix: 'TYPED-' },
    });
    expect(batch.response.status).toBe(201);
    expect(batch.error).toBeUndefined();

    const usersAdmin = providerClient(adminUrl(stack.provider), PROVIDER_ADMIN_TOKEN);
    const user = await usersAdmin.POST('/v1/users', { body: { userId: 'typed-alice' } });
    expect(user.response.status).toBe(201);
    expect(user.data?.userId).toBe('typed-alice');

    // A credential function: asked per request, as a client renewing short-lived JWTs does.
    const alice = providerClient(stack.provider.url, () => userToken('typed-alice'));
    const claim = await alice.POST('/v1/brands/{brandId}/claims', { params: { path: { brandId } } });
    expect(claim.response.status).toBe(201);
    expect(claim.data).toEqual({
      code: expect.stringMatching(/^TYPED-/) as unknown,
      brandId,
      claimedAt: expect.any(String) as unknown,
    });

    const stats = await brand.GET('/v1/brands/{brandId}/stats', { params: { path: { brandId } } });
    expect(stats.response.status).toBe(200);
    expect(stats.data).toMatchObject({ brandId, total: 20, claimed: 1, available: 19 });
  });

  it('types error answers as ApiError', async () => {
    const admin = generatorClient(adminUrl(stack.generator), GENERATOR_ADMIN_TOKEN);
    const missing = await admin.GET('/v1/brands/{brandId}', {
      params: { path: { brandId: 'typed-nobody' } },
    });
    expect(missing.data).toBeUndefined();
    // ApiError because every error answer the document declares for getBrand has that schema
    // (openapi-fetch types `error` as their union); which statuses are declared is checked below.
    const error: ApiError | undefined = missing.error;
    const code: ErrorCode | undefined = error?.error;
    expect({ status: missing.response.status, code, statusCode: error?.statusCode }).toEqual({
      status: 404,
      code: 'brand_not_found',
      statusCode: 404,
    });

    const anonymous = providerClient(stack.provider.url);
    const refused = await anonymous.POST('/v1/brands/{brandId}/claims', {
      params: { path: { brandId: 'typed-acme' } },
    });
    expect(refused.response.status).toBe(401);
    expect(refused.error).toEqual({
      statusCode: 401,
      error: 'unauthorized',
      message: expect.any(String) as unknown,
    });

    // A brand's key on another brand: refused by the guard, whether that brand exists or not.
    const other = await admin.POST('/v1/brands', { body: { id: 'typed-other', name: 'Typed Other' } });
    expect(other.response.status).toBe(201);
    const otherBrand = generatorClient(stack.generator.url, other.data!.apiKey);
    const forbidden = await otherBrand.GET('/v1/brands/{brandId}', {
      params: { path: { brandId: 'typed-nobody' } },
    });
    expect({ status: forbidden.response.status, code: forbidden.error?.error }).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });
});

describe('the committed OpenAPI documents, against what the apps answered', () => {
  // Runs after the tests above (jest keeps a file's order): their answers are what it checks.
  it('declare every status the typed clients got, on the operation that answered it', () => {
    const declared = (entry: string) => {
      const [app, method, path, status] = entry.split(' ') as [App, string, string, string];
      const document = JSON.parse(committedDocument(app)) as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> } | undefined>>;
      };
      return document.paths[path]?.[method]?.responses[status] !== undefined;
    };
    // Fewer would mean the tests above did not run (a filtered run): nothing would be checked.
    expect(observed.size).toBeGreaterThanOrEqual(8);
    expect([...observed].filter((entry) => !declared(entry))).toEqual([]);
  });
});
