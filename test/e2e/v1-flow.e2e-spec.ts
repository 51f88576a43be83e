/**
 * The modern (v1) API with keys enforced (DEV_OPEN_BRAND_API unset): brands and their keys, code
 * generation with custom formats, stats, JWT claims, every way authentication can fail, the 1%
 * capacity rule, input validation, and the routes every service serves (docs, health, 404).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  GENERATOR_ADMIN_TOKEN,
  PROVIDER_ADMIN_TOKEN,
  startE2eStack,
  type E2eStack,
} from './support/e2e-stack';
import {
  DEFAULT_CODE_PATTERN,
  type ApiError,
  type BrandStats,
  type Claim,
  type CodeBatch,
  type CreatedBrand,
  type LegacyEnvelope,
  type RequestOptions,
} from './support/http';
import { unsecuredToken, userToken } from './support/jwt';
import { eventually } from './support/poll';

const DEFAULT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let stack: E2eStack;
let acme: CreatedBrand;
let other: CreatedBrand;
/** Every API key and token handed out or sent: none may show up in a log. */
const credentials: string[] = [];

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'v1',
    // GENERATION_MAX_COUNT: the limit the input-limit cases are written against (default 10,000,000).
    generatorEnv: { DEV_OPEN_BRAND_API: undefined, LOG_LEVEL: 'debug', GENERATION_MAX_COUNT: '1000000' },
    providerEnv: { LOG_LEVEL: 'debug' },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

/** A brand's stats with `token`, or, without one, as the admin (on the admin port). */
async function stats(brandId: string, token?: string): Promise<BrandStats> {
  const path = `/v1/brands/${brandId}/stats`;
  const res = await (token === undefined
    ? stack.genAdmin.get<BrandStats>(path)
    : stack.gen.get<BrandStats>(path, { token }));
  expect(res.status).toBe(200);
  return res.body;
}

function expectApiError(res: { status: number; body: ApiError }, status: number, error: string) {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: expect.objectContaining({
      statusCode: status,
      error,
      message: expect.any(String) as unknown,
    }) as unknown,
  });
  expect(res.body.message.length).toBeGreaterThan(0);
}

const codesOf = async (filter: Record<string, unknown>) =>
  (await stack.db()).collection('codes').find(filter).toArray();

describe('brands', () => {
  it('the admin creates a brand and sees its API key once', async () => {
    const before = Date.now();
    const res = await stack.genAdmin.post<CreatedBrand>('/v1/brands', { id: 'acme', name: 'Acme Coffee' });
    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({
      brandId: 'acme',
      name: 'Acme Coffee',
      createdAt: expect.stringMatching(ISO_DATE) as unknown,
      webhook: null,
      poolLowThreshold: null,
      autoReplenish: null,
      apiKey: expect.stringMatching(/^dk_[A-Za-z0-9_-]{43}$/) as unknown,
    });
    expect(Date.parse(res.body.createdAt)).toBeGreaterThanOrEqual(before - 5_000);
    acme = res.body;
    credentials.push(acme.apiKey);

    // Stored as a hash only.
    const doc = await (await stack.db()).collection('brands').findOne({ _id: 'acme' as never });
    expect(doc).toMatchObject({
      name: 'Acme Coffee',
      apiKeyHash: createHash('sha256').update(acme.apiKey).digest('hex'),
    });
    expect(JSON.stringify(doc)).not.toContain(acme.apiKey);
  });

  it('generates an id when none is given, with a key of its own', async () => {
    const res = await stack.genAdmin.post<CreatedBrand>('/v1/brands', { name: 'Other Tea' });
    expect(res.status).toBe(201);
    expect(res.body.brandId).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
    expect(res.body.apiKey).toMatch(/^dk_[A-Za-z0-9_-]{43}$/);
    expect(res.body.apiKey).not.toBe(acme.apiKey);
    other = res.body;
    credentials.push(other.apiKey);
  });

  it('refuses a second brand with the same id (409) without issuing a key', async () => {
    const res = await stack.genAdmin.post<ApiError>('/v1/brands', { id: 'acme', name: 'Impostor' });
    expectApiError(res, 409, 'brand_exists');
    expect(res.text).not.toContain('dk_');
    // The original key still works.
    expect((await stats('acme', acme.apiKey)).brandId).toBe('acme');
  });

  it.each<[string, unknown]>([
    ['no name', {}],
    ['an empty name', { name: '' }],
    ['a name that is an object', { name: { $gt: '' } }],
    ['an id with "$"', { id: '$gt', name: 'x' }],
    ['an id with a space', { id: 'a b', name: 'x' }],
    ['an unknown field', { name: 'x', apiKey: 'dk_mine' }],
  ])('refuses a brand with %s (400)', async (_name, body) => {
    const res = await stack.genAdmin.post<ApiError>('/v1/brands', body);
    expectApiError(res, 400, 'invalid_input');
  });

  it('created nothing more', async () => {
    const ids = (await (await stack.db()).collection('brands').find({}).toArray()).map((b) => String(b._id));
    expect(ids.sort()).toEqual(['acme', other.brandId].sort());
  });
});

describe('codes', () => {
  it('the brand’s key generates a batch of exactly the requested count', async () => {
    const res = await stack.gen.post<CodeBatch>(
      '/v1/brands/acme/codes',
      { count: 50 },
      { token: acme.apiKey },
    );
    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({
      batchId: expect.stringMatching(UUID) as unknown,
      brandId: 'acme',
      requested: 50,
      generated: 50,
      format: { length: 8, prefix: '', alphabet: DEFAULT_ALPHABET },
      expiresAt: null,
      createdAt: expect.stringMatching(ISO_DATE) as unknown,
    });
    const docs = await codesOf({ brandId: 'acme', batchId: res.body.batchId });
    expect(docs).toHaveLength(50);
    expect(new Set(docs.map((d) => d.code as string)).size).toBe(50);
    for (const d of docs) {
      expect(d.code).toMatch(DEFAULT_CODE_PATTERN);
      expect(d.status).toBe('available');
    }
  });

  it('respects a custom length, prefix, alphabet and expiry', async () => {
    const body = {
      count: 25,
      length: 12,
      prefix: 'SUMMER-',
      alphabet: 'abcdefghij',
      expiresAt: '2030-01-01T00:00:00Z',
    };
    const res = await stack.gen.post<CodeBatch>('/v1/brands/acme/codes', body, { token: acme.apiKey });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      brandId: 'acme',
      requested: 25,
      generated: 25,
      format: { length: 12, prefix: 'SUMMER-', alphabet: 'abcdefghij' },
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    const docs = await codesOf({ brandId: 'acme', batchId: res.body.batchId });
    expect(docs).toHaveLength(25);
    expect(new Set(docs.map((d) => d.code as string)).size).toBe(25);
    for (const d of docs) {
      expect(d.code).toMatch(/^SUMMER-[a-j]{12}$/);
      expect((d.expiresAt as Date).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    }
  });

  it('the admin token may generate for any brand', async () => {
    const res = await stack.genAdmin.post<CodeBatch>('/v1/brands/acme/codes', { count: 5 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ brandId: 'acme', requested: 5, generated: 5 });
  });

  it('stats count the brand’s codes, for its key and for the admin', async () => {
    const expected = {
      brandId: 'acme',
      total: 80,
      available: 80,
      claimed: 0,
      expired: 0,
      claimedNotified: 0,
    };
    expect(await stats('acme', acme.apiKey)).toStrictEqual(expected);
    expect(await stats('acme')).toStrictEqual(expected);
    expect(await stats(other.brandId, other.apiKey)).toStrictEqual({
      brandId: other.brandId,
      total: 0,
      available: 0,
      claimed: 0,
      expired: 0,
      claimedNotified: 0,
    });
  });
});

describe('claims', () => {
  let first: Claim;

  it('a user with a JWT claims a code (201), and gets the same one again (200)', async () => {
    const token = await userToken('user-1');
    credentials.push(token);
    const res = await stack.prov.post<Claim>('/v1/brands/acme/claims', undefined, { token });
    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({
      code: expect.any(String) as unknown,
      brandId: 'acme',
      claimedAt: expect.stringMatching(ISO_DATE) as unknown,
    });
    first = res.body;

    const again = await stack.prov.post<Claim>('/v1/brands/acme/claims', undefined, { token });
    expect(again.status).toBe(200);
    expect(again.body).toStrictEqual(first);

    // A fresh token of the same user changes nothing either.
    const otherToken = await userToken('user-1');
    const third = await stack.prov.post<Claim>('/v1/brands/acme/claims', undefined, { token: otherToken });
    expect(third.status).toBe(200);
    expect(third.body).toStrictEqual(first);

    const held = await codesOf({ brandId: 'acme', claimedBy: 'user-1' });
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ code: first.code, status: 'claimed' });
    expect((held[0]!.claimedAt as Date).toISOString()).toBe(first.claimedAt);
  });

  it('stats count the claim, and the generator hears of it over NATS', async () => {
    expect(await stats('acme', acme.apiKey)).toMatchObject({ total: 80, available: 79, claimed: 1 });
    await eventually(async () => expect((await stats('acme', acme.apiKey)).claimedNotified).toBe(1), {
      timeoutMs: 20_000,
    });
  });

  it('a brand without codes is 409 codes_exhausted', async () => {
    const res = await stack.prov.post<ApiError>(`/v1/brands/${other.brandId}/claims`, undefined, {
      token: await userToken('user-1'),
    });
    expectApiError(res, 409, 'codes_exhausted');
  });

  it('an unknown brand is 404 brand_not_found', async () => {
    const res = await stack.prov.post<ApiError>('/v1/brands/nope/claims', undefined, {
      token: await userToken('user-2'),
    });
    expectApiError(res, 404, 'brand_not_found');
  });

  it('a brand id that is not an id is 400', async () => {
    const res = await stack.prov.post<ApiError>('/v1/brands/%24gt/claims', undefined, {
      token: await userToken('user-2'),
    });
    expectApiError(res, 400, 'invalid_input');
  });
});

describe('authentication and authorisation', () => {
  const unknownKey = `dk_${randomBytes(32).toString('base64url')}`;

  describe.each<[string, string, string]>([
    ['generate', 'POST', '/v1/brands/acme/codes'],
    ['stats', 'GET', '/v1/brands/acme/stats'],
  ])('brand route %s', (_route, method, path) => {
    const send = (opts: RequestOptions) =>
      stack.gen.request<ApiError>(path, {
        method,
        ...(method === 'POST' ? { json: { count: 1 } } : {}),
        ...opts,
      });

    it.each<[string, () => RequestOptions, number, string]>([
      ['no Authorization header', () => ({}), 401, 'unauthorized'],
      ['a Basic header', () => ({ authorization: 'Basic YWNtZTpzZWNyZXQ=' }), 401, 'unauthorized'],
      ['"Bearer" without a token', () => ({ authorization: 'Bearer' }), 401, 'unauthorized'],
      ['a key after "Token"', () => ({ authorization: `Token ${acme.apiKey}` }), 401, 'unauthorized'],
      ['two tokens', () => ({ authorization: `Bearer ${acme.apiKey} ${acme.apiKey}` }), 401, 'unauthorized'],
      ['a wrong admin token', () => ({ token: `${GENERATOR_ADMIN_TOKEN}x` }), 401, 'unauthorized'],
      ['an unknown API key', () => ({ token: unknownKey }), 401, 'unauthorized'],
      ['a user JWT', () => ({ token: credentials[credentials.length - 1] }), 401, 'unauthorized'],
      ['another brand’s key', () => ({ token: other.apiKey }), 403, 'forbidden'],
    ])('refuses %s', async (_name, opts, status, error) => {
      expectApiError(await send(opts()), status, error);
    });
  });

  it.each<[string, () => RequestOptions]>([
    ['no token', () => ({})],
    ['a brand key', () => ({ token: acme.apiKey })],
    ['a wrong admin token', () => ({ token: GENERATOR_ADMIN_TOKEN.slice(0, -1) })],
  ])('admin-only POST /v1/brands refuses %s (401)', async (_name, opts) => {
    const res = await stack.gen.post<ApiError>('/v1/brands', { id: 'sneaky', name: 'Sneaky' }, opts());
    expectApiError(res, 401, 'unauthorized');
  });

  it.each<[string, () => RequestOptions]>([
    ['no token', () => ({})],
    ['a brand key', () => ({ token: acme.apiKey })],
    ['a wrong admin token', () => ({ token: `${PROVIDER_ADMIN_TOKEN}0` })],
  ])('admin-only POST /v1/users refuses %s (401)', async (_name, opts) => {
    const res = await stack.prov.post<ApiError>('/v1/users', { userId: 'sneaky' }, opts());
    expectApiError(res, 401, 'unauthorized');
  });

  describe('the claim route refuses bad user tokens (401)', () => {
    const now = () => Math.floor(Date.now() / 1000);
    it.each<[string, () => Promise<RequestOptions>]>([
      ['no Authorization header', () => Promise.resolve({})],
      ['a Basic header', () => Promise.resolve({ authorization: 'Basic dXNlcjpwYXNz' })],
      ['garbage', () => Promise.resolve({ token: 'not.a.jwt' })],
      ['a wrong signature', async () => ({ token: await userToken('user-9', { secret: 'x'.repeat(48) }) })],
      [
        'a tampered payload',
        async () => {
          const [h, , s] = (await userToken('user-9')).split('.');
          const payload = Buffer.from(JSON.stringify({ sub: 'user-1', exp: now() + 600 })).toString(
            'base64url',
          );
          return { token: `${h}.${payload}.${s}` };
        },
      ],
      ['an expired token', async () => ({ token: await userToken('user-9', { exp: now() - 120 }) })],
      ['alg none', () => Promise.resolve({ token: unsecuredToken('user-9') })],
      ['no sub', async () => ({ token: await userToken(undefined) })],
      ['a sub that is not an id', async () => ({ token: await userToken('$gt') })],
      ['HS512 instead of HS256', async () => ({ token: await userToken('user-9', { alg: 'HS512' }) })],
      ['the admin token', () => Promise.resolve({ token: PROVIDER_ADMIN_TOKEN })],
      ['a brand API key', () => Promise.resolve({ token: acme.apiKey })],
    ])('%s', async (_name, opts) => {
      const o = await opts();
      if (o.token) credentials.push(o.token);
      const res = await stack.prov.post<ApiError>('/v1/brands/acme/claims', undefined, o);
      expectApiError(res, 401, 'unauthorized');
    });
  });

  it('changed nothing', async () => {
    expect(await stats('acme', acme.apiKey)).toMatchObject({ total: 80, available: 79, claimed: 1 });
    const db = await stack.db();
    expect(await db.collection('codes').countDocuments({ claimedBy: 'user-9' })).toBe(0);
    expect(await db.collection('brands').countDocuments({ _id: 'sneaky' as never })).toBe(0);
    expect(await db.collection('users').countDocuments({})).toBe(0);
  });
});

describe('the 1% capacity rule', () => {
  // Its own brand: when the rule fails, the 10,001 codes it lets through must not skew acme's counts.
  let capa: CreatedBrand;
  // 10 characters, length 6: 10^6 possible codes, so at most 10,000 may be handed out.
  const tenDigits = { length: 6, alphabet: '0123456789' };
  const generate = (body: Record<string, unknown>) =>
    stack.gen.post<ApiError & CodeBatch>('/v1/brands/capa/codes', body, { token: capa.apiKey });

  beforeAll(async () => {
    const res = await stack.genAdmin.post<CreatedBrand>('/v1/brands', { id: 'capa', name: 'Capacity' });
    expect(res.status).toBe(201);
    capa = res.body;
    credentials.push(capa.apiKey);
  });

  it('refuses the first request that would use more than 1% of a code space (422, numbers, nothing stored)', async () => {
    const res = await generate({ count: 10_001, ...tenDigits });
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 422,
      error: 'capacity_exceeded',
    });
    expect(res.body.details).toEqual({
      codeSpace: '1000000',
      limit: '10000',
      inUse: '0',
      requested: '10001',
      remaining: '10000',
    });
    expect(res.body.message).toContain('10,001');
    expect(res.body.message).toContain('1%');
    expect((await stats('capa', capa.apiKey)).total).toBe(0);
  });

  it('counts what a code space already holds against the limit (422 with the numbers, nothing stored)', async () => {
    // A prefix makes it another code space than the test above.
    const space = { ...tenDigits, prefix: 'B-' };
    const ok = await generate({ count: 10, ...space });
    expect(ok.status).toBe(201);
    const docs = await codesOf({ brandId: 'capa', batchId: ok.body.batchId });
    expect(docs).toHaveLength(10);
    for (const d of docs) expect(d.code).toMatch(/^B-\d{6}$/);
    const before = await stats('capa', capa.apiKey);

    const res = await generate({ count: 9_991, ...space });
    expectApiError(res, 422, 'capacity_exceeded');
    expect(res.body.details).toEqual({
      codeSpace: '1000000',
      limit: '10000',
      inUse: '10',
      requested: '9991',
      remaining: '9990',
    });
    expect(res.body.message).toContain('9,991');

    expect(await stats('capa', capa.apiKey)).toStrictEqual(before);
    expect(await codesOf({ brandId: 'capa', code: /^B-/ })).toHaveLength(10);
  });
});

describe('input limits', () => {
  it.each<[string, unknown]>([
    ['count above GENERATION_MAX_COUNT (1,000,000)', { count: 1_000_001 }],
    ['count above the schema ceiling', { count: 10_000_001 }],
    ['count 0', { count: 0 }],
    ['a negative count', { count: -1 }],
    ['a float count', { count: 1.5 }],
    ['a string count', { count: '10' }],
    ['a null count', { count: null }],
    ['no count', {}],
    ['count {"$gt":0}', { count: { $gt: 0 } }],
    ['an unknown field', { count: 1, status: 'claimed' }],
    ['an unknown field "brandId"', { count: 1, brandId: 'other' }],
    ['length 5', { count: 1, length: 5 }],
    ['length 33', { count: 1, length: 33 }],
    ['a float length', { count: 1, length: 8.5 }],
    ['a lower-case prefix', { count: 1, prefix: 'abc' }],
    ['a prefix of 17 characters', { count: 1, prefix: 'A'.repeat(17) }],
    ['an alphabet of 9 characters', { count: 1, alphabet: '123456789' }],
    ['an alphabet repeating a character', { count: 1, alphabet: 'aabcdefghij' }],
    ['an alphabet with "/"', { count: 1, alphabet: 'abcdefghij/' }],
    ['an alphabet that is an object', { count: 1, alphabet: { $ne: '' } }],
    ['an expiry that is not a date', { count: 1, expiresAt: 'tomorrow' }],
    ['an expiry in the past', { count: 1, expiresAt: '2000-01-01T00:00:00Z' }],
  ])('refuses %s (400)', async (_name, body) => {
    const res = await stack.gen.post<ApiError>('/v1/brands/acme/codes', body, { token: acme.apiKey });
    expectApiError(res, 400, 'invalid_input');
  });

  it('names the unknown field', async () => {
    const res = await stack.gen.post<ApiError>(
      '/v1/brands/acme/codes',
      { count: 1, colour: 'red' },
      { token: acme.apiKey },
    );
    expectApiError(res, 400, 'invalid_input');
    expect(res.body.message).toContain('colour');
  });

  it('an unknown brand is 404, for generation and for stats', async () => {
    expectApiError(
      await stack.genAdmin.post<ApiError>('/v1/brands/nope/codes', { count: 1 }),
      404,
      'brand_not_found',
    );
    expectApiError(await stack.genAdmin.get<ApiError>('/v1/brands/nope/stats'), 404, 'brand_not_found');
  });

  it('a brand id that is not an id is 400', async () => {
    expectApiError(
      await stack.genAdmin.post<ApiError>('/v1/brands/%24gt/codes', { count: 1 }),
      400,
      'invalid_input',
    );
    expectApiError(await stack.genAdmin.get<ApiError>('/v1/brands/a%20b/stats'), 400, 'invalid_input');
  });

  it('changed nothing', async () => {
    expect(await stats('acme', acme.apiKey)).toMatchObject({ total: 80, available: 79, claimed: 1 });
    const db = await stack.db();
    expect(await db.collection('codes').countDocuments({ brandId: { $ne: 'capa' } })).toBe(80);
    expect(await db.collection('brands').countDocuments({})).toBe(3);
  });
});

describe('routes every service serves', () => {
  const apps = () => [
    { name: 'generator', c: stack.gen },
    { name: 'provider', c: stack.prov },
  ];

  it('an unknown route is 404 in the v1 shape, on both apps', async () => {
    for (const { c } of apps()) {
      expectApiError(await c.get<ApiError>('/v1/nothing-here'), 404, 'not_found');
      expectApiError(await c.post<ApiError>('/v2/brands', { name: 'x' }), 404, 'not_found');
    }
  });

  it('/docs serves the Swagger UI on both apps', async () => {
    for (const { c } of apps()) {
      const res = await c.get('/docs', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toMatch(/swagger/i);
      // The page's own assets load too, or the UI is blank.
      for (const asset of ['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js']) {
        const a = await c.get(asset, { headers: { accept: '*/*' } });
        expect({ asset, status: a.status }).toEqual({ asset, status: 200 });
      }
    }
  });

  it('/docs/json lists the main paths', async () => {
    const paths = async (c: E2eStack['gen']) => {
      const res = await c.get<{ openapi: string; paths: Record<string, unknown> }>('/docs/json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\./);
      return Object.keys(res.body.paths);
    };
    expect(await paths(stack.gen)).toEqual(
      expect.arrayContaining([
        '/discounts/api/v1.0/generate',
        '/v1/brands',
        '/v1/brands/{brandId}/codes',
        '/v1/brands/{brandId}/stats',
        '/health/live',
        '/health/ready',
      ]),
    );
    expect(await paths(stack.prov)).toEqual(
      expect.arrayContaining([
        '/discounts/api/v1.0/get_code/{user_id}/{user_secret}/{brand_id}',
        '/v1/brands/{brandId}/claims',
        '/v1/users',
        '/health/live',
        '/health/ready',
        '/health/startup',
      ]),
    );
  });

  it('/health/live and /health/ready answer 200 on both apps', async () => {
    for (const { c } of apps()) {
      const live = await c.get<{ status: string }>('/health/live');
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('ok');
      const ready = await c.get<{ status: string; info: Record<string, { status: string }> }>(
        '/health/ready',
      );
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: {
          shutdown: { status: 'up' },
          mongodb: { status: 'up' },
          nats: { status: 'up' },
          jetstream: { status: 'up' },
        },
      });
      expect((await c.get('/health/startup')).status).toBe(200);
    }
  });

  it('never writes an API key or token to the logs', () => {
    const logs = stack.generator.logs() + stack.provider.logs();
    expect(logs).toMatch(/listening on/);
    expect(credentials.length).toBeGreaterThan(10);
    for (const secret of new Set(credentials)) {
      expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
    }
  });
});

describe('the seed-compatible generate route with keys enforced', () => {
  const GENERATE = '/discounts/api/v1.0/generate';
  const body = '{"brand_id": 7, "number_of_codes": 5}';

  it('refuses a caller without a key (401 envelope) and registers nothing', async () => {
    const res = await stack.gen.request<LegacyEnvelope>(GENERATE, { method: 'POST', rawBody: body });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      code: '401',
      data: '',
      message: expect.any(String) as unknown,
      status: 'error',
    });
    expect(await (await stack.db()).collection('brands').countDocuments({ _id: '7' as never })).toBe(0);
  });

  it('refuses another brand’s key (403 envelope)', async () => {
    const res = await stack.gen.request<LegacyEnvelope>(GENERATE, {
      method: 'POST',
      rawBody: body,
      token: acme.apiKey,
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      code: '403',
      data: '',
      message: expect.any(String) as unknown,
      status: 'error',
    });
    expect(await (await stack.db()).collection('brands').countDocuments({ _id: '7' as never })).toBe(0);
  });

  it('accepts the admin token, registering the brand on first use', async () => {
    const res = await stack.genAdmin.request<LegacyEnvelope>(GENERATE, {
      method: 'POST',
      rawBody: body,
    });
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      code: '201',
      data: '',
      message: 'System generated discount codes successfully',
      status: 'success',
    });
    expect(await stats('7')).toMatchObject({ brandId: '7', total: 5, available: 5, claimed: 0 });
  });
});

describe('content types', () => {
  it('a form body is refused with 415 and creates nothing', async () => {
    const res = await stack.genAdmin.request<ApiError>('/v1/brands', {
      method: 'POST',
      rawBody: 'id=formed&name=Formed',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 415,
      error: 'unsupported_media_type',
    });
    expect(await (await stack.db()).collection('brands').countDocuments({ _id: 'formed' as never })).toBe(0);
  });

  it('refuses text/plain with 415', async () => {
    const res = await stack.genAdmin.request<ApiError>('/v1/brands', {
      method: 'POST',
      rawBody: '{"id":"plain","name":"Plain"}',
      contentType: 'text/plain',
    });
    expectApiError(res, 415, 'unsupported_media_type');
  });
});
