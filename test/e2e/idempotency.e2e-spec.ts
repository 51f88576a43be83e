/**
 * Idempotent writes over real sockets: an Idempotency-Key on the create routes of both apps.
 * The same key with the same request gives the first answer back without doing the work again
 * (one batch, one brand, one claim), another request under the key is a 422, another caller's
 * key is its own, a key in use is a 409, a malformed key a 400, and refused input keeps no answer.
 */
import { randomUUID } from 'node:crypto';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import {
  type ApiError,
  type ApiResponse,
  type BrandStats,
  type Claim,
  type CodeBatch,
  type CreatedBrand,
  type CreatedUser,
  type LegacyEnvelope,
} from './support/http';
import { userToken } from './support/jwt';
import { eventually } from './support/poll';

/** Above it a generate request is a job (202 with Location). */
const INLINE_MAX = 500;

let stack: E2eStack;
let acme: CreatedBrand;
let other: CreatedBrand;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'idempotency',
    generatorEnv: { DEV_OPEN_BRAND_API: undefined, GENERATION_INLINE_MAX_COUNT: String(INLINE_MAX) },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const key = () => `idem-${randomUUID()}`;
/** The header, and a token when given (an admin client's own token must not be overridden). */
const withKey = (k: string, token?: string) => ({
  headers: { 'idempotency-key': k },
  ...(token === undefined ? {} : { token }),
});

async function stats(brandId: string): Promise<BrandStats> {
  const res = await stack.genAdmin.get<BrandStats>(`/v1/brands/${brandId}/stats`);
  expect(res.status).toBe(200);
  return res.body;
}

function expectReplay(first: ApiResponse<unknown>, again: ApiResponse<unknown>) {
  expect({ status: again.status, text: again.text }).toEqual({ status: first.status, text: first.text });
  expect(first.headers.get('idempotent-replayed')).toBeNull();
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
}

function expectApiError(res: ApiResponse<ApiError>, status: number, error: string) {
  expect({ status: res.status, error: res.body?.error }).toEqual({ status, error });
  expect(res.body.message.length).toBeGreaterThan(0);
}

describe('brands (admin)', () => {
  it('the same key registers one brand and shows the same key again', async () => {
    const k = key();
    const first = await stack.genAdmin.post<CreatedBrand>(
      '/v1/brands',
      { id: 'acme', name: 'Acme' },
      withKey(k),
    );
    expect(first.status).toBe(201);
    const again = await stack.genAdmin.post<CreatedBrand>(
      '/v1/brands',
      { id: 'acme', name: 'Acme' },
      withKey(k),
    );
    expectReplay(first, again);
    acme = first.body;
    // Without the key, the same body is a new request: the brand exists.
    expectApiError(
      await stack.genAdmin.post<ApiError>('/v1/brands', { id: 'acme', name: 'Acme' }),
      409,
      'brand_exists',
    );

    const different = await stack.genAdmin.post<ApiError>(
      '/v1/brands',
      { id: 'acme2', name: 'Acme' },
      withKey(k),
    );
    expectApiError(different, 422, 'idempotency_key_reused');
    const db = await stack.db();
    expect(await db.collection('brands').countDocuments({})).toBe(1);

    const made = await stack.genAdmin.post<CreatedBrand>('/v1/brands', { id: 'other', name: 'Other' });
    expect(made.status).toBe(201);
    other = made.body;
  });

  it('stores neither the key nor the answer in clear, with an index for the expiry sweep', async () => {
    const db = await stack.db();
    const records = await db.collection('idempotency_keys').find({}).toArray();
    expect(records.length).toBeGreaterThan(0);
    const stored = JSON.stringify(records);
    expect(stored).not.toContain(acme.apiKey);
    expect(stored).not.toContain('idem-');
    const indexes = await db.collection('idempotency_keys').indexes();
    expect(indexes).toContainEqual(expect.objectContaining({ key: { expiresAt: 1 } }));
  });
});

describe('code generation', () => {
  it('a request retried after a client-side timeout creates one batch', async () => {
    const k = key();
    const body = { count: 400 };
    const keys = (await stack.db()).collection('idempotency_keys');
    const keysBefore = await keys.countDocuments({});
    const timedOut = new AbortController();
    const first = stack.gen
      .post('/v1/brands/acme/codes', body, { ...withKey(k, acme.apiKey), signal: timedOut.signal })
      .catch(() => undefined);
    // The client gives up once the server holds the key, done with the work or not: the retry
    // must then be the first answer, never a second batch.
    await eventually(async () => expect(await keys.countDocuments({})).toBeGreaterThan(keysBefore));
    timedOut.abort();
    await first;
    const retried = await eventually(async () => {
      const res = await stack.gen.post<CodeBatch>('/v1/brands/acme/codes', body, withKey(k, acme.apiKey));
      expect(res.status).not.toBe(409); // still in flight: retry
      return res;
    });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await stats('acme')).toMatchObject({ total: 400, available: 400 });
  });

  it('the same key with a different body is a 422 and generates nothing', async () => {
    const k = key();
    const first = await stack.gen.post<CodeBatch>(
      '/v1/brands/acme/codes',
      { count: 10 },
      withKey(k, acme.apiKey),
    );
    expect(first.status).toBe(201);
    for (const [path, body] of [
      ['/v1/brands/acme/codes', { count: 11 }],
      ['/v1/brands/acme/codes', { count: 10, prefix: 'X-' }],
    ] as const) {
      expectApiError(
        await stack.gen.post<ApiError>(path, body, withKey(k, acme.apiKey)),
        422,
        'idempotency_key_reused',
      );
    }
    expect(await stats('acme')).toMatchObject({ total: 410 });
  });

  it('the same key of another caller is its own', async () => {
    const k = key();
    const byBrand = await stack.gen.post<CodeBatch>(
      '/v1/brands/acme/codes',
      { count: 5 },
      withKey(k, acme.apiKey),
    );
    const byAdmin = await stack.genAdmin.post<CodeBatch>('/v1/brands/acme/codes', { count: 5 }, withKey(k));
    const byOther = await stack.gen.post<CodeBatch>(
      '/v1/brands/other/codes',
      { count: 5 },
      withKey(k, other.apiKey),
    );
    for (const res of [byBrand, byAdmin, byOther]) {
      expect(res.status).toBe(201);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
    }
    expect(byAdmin.body.batchId).not.toBe(byBrand.body.batchId);
    expect(await stats('acme')).toMatchObject({ total: 420 });
    expect(await stats('other')).toMatchObject({ total: 5 });
  });

  it('concurrent requests with one key: one does the work, the others get 409 or its answer', async () => {
    const k = key();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        stack.genAdmin.post<CodeBatch | ApiError>('/v1/brands/other/codes', { count: 50 }, withKey(k)),
      ),
    );
    const created = answers.filter((res) => res.status === 201);
    const inUse = answers.filter((res) => res.status === 409);
    expect(created.length + inUse.length).toBe(answers.length);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((res) => res.text)).size).toBe(1);
    for (const res of inUse) expectApiError(res as ApiResponse<ApiError>, 409, 'idempotency_key_in_use');
    expect(await stats('other')).toMatchObject({ total: 55 });
  });

  it('a job is queued once, and its 202 and Location come back', async () => {
    const k = key();
    const body = { count: INLINE_MAX + 100 };
    const first = await stack.gen.post<{ jobId: string }>(
      '/v1/brands/other/codes',
      body,
      withKey(k, other.apiKey),
    );
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe(`/v1/jobs/${first.body.jobId}`);
    const again = await stack.gen.post<{ jobId: string }>(
      '/v1/brands/other/codes',
      body,
      withKey(k, other.apiKey),
    );
    expectReplay(first, again);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    await eventually(
      async () => expect(await stats('other')).toMatchObject({ total: 55 + INLINE_MAX + 100 }),
      {
        timeoutMs: 30_000,
      },
    );
    expect(await (await stack.db()).collection('generation_jobs').countDocuments({ brandId: 'other' })).toBe(
      1,
    );
  });

  it('refused input keeps no answer: the key serves the corrected request', async () => {
    const k = key();
    expectApiError(
      await stack.gen.post<ApiError>('/v1/brands/acme/codes', { count: -1 }, withKey(k, acme.apiKey)),
      400,
      'invalid_input',
    );
    const fixed = await stack.gen.post<CodeBatch>(
      '/v1/brands/acme/codes',
      { count: 1 },
      withKey(k, acme.apiKey),
    );
    expect(fixed.status).toBe(201);
    expect(await stats('acme')).toMatchObject({ total: 421 });
  });

  it('an answer the handler reached by acting is kept: a 404 stays a 404 under its key', async () => {
    const k = key();
    const first = await stack.genAdmin.post<ApiError>('/v1/brands/later/codes', { count: 1 }, withKey(k));
    expectApiError(first, 404, 'brand_not_found');
    expect((await stack.genAdmin.post('/v1/brands', { id: 'later', name: 'Later' })).status).toBe(201);
    const again = await stack.genAdmin.post<ApiError>('/v1/brands/later/codes', { count: 1 }, withKey(k));
    expectReplay(first, again);
    expect(await stats('later')).toMatchObject({ total: 0 });
  });

  it.each<[string, string]>([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['with a space', 'has space'],
    ['non-ASCII', 'clé'],
  ])('a malformed key (%s) is a 400 and does nothing', async (_name, badKey) => {
    const before = (await stats('acme')).total;
    const res = await stack.gen.post<ApiError>(
      '/v1/brands/acme/codes',
      { count: 3 },
      withKey(badKey, acme.apiKey),
    );
    expectApiError(res, 400, 'invalid_input');
    expect(res.body.message).toMatch(/Idempotency-Key must be 1–255 visible ASCII characters/);
    expect((await stats('acme')).total).toBe(before);
  });
});

describe('imports', () => {
  const importBody = <T = Record<string, unknown>>(rawBody: string, contentType: string, k: string) =>
    stack.gen.request<T>('/v1/brands/other/codes/import', {
      method: 'POST',
      rawBody,
      contentType,
      ...withKey(k, other.apiKey),
    });
  const imported = async () =>
    (await stack.db()).collection('codes').countDocuments({ brandId: 'other', code: /^IMP-/ });

  it('a streamed CSV import retried with its key stores its codes once and gives the same report', async () => {
    const k = key();
    const csv = 'code\nIMP-0001\nIMP-0002\nIMP-0003\n';
    const first = await importBody<{ importId: string; accepted: number }>(csv, 'text/csv', k);
    expect(first.status).toBe(201);
    expect(first.body.accepted).toBe(3);
    expectReplay(first, await importBody(csv, 'text/csv', k));
    expect(await imported()).toBe(3);

    for (const other of ['code\nIMP-0001\nIMP-0002\nIMP-0009\n', `${csv}IMP-0004\n`, 'code\nIMP-0001\n']) {
      expectApiError(await importBody<ApiError>(other, 'text/csv', k), 422, 'idempotency_key_reused');
    }
    // The same bytes as NDJSON are another request.
    expectApiError(await importBody<ApiError>(csv, 'application/x-ndjson', k), 422, 'idempotency_key_reused');
    expect(await imported()).toBe(3);
  });

  it('a JSON import is fingerprinted like any JSON body', async () => {
    const k = key();
    const body = JSON.stringify(['IMP-0101', 'IMP-0102']);
    const first = await importBody(body, 'application/json', k);
    expect(first.status).toBe(201);
    expectReplay(first, await importBody(body, 'application/json', k));
    expect(await imported()).toBe(5);
  });

  it('a streamed import that fails keeps no answer: its key serves the retry', async () => {
    const k = key();
    const send = () =>
      stack.genAdmin.request<ApiError>('/v1/brands/late-import/codes/import', {
        method: 'POST',
        rawBody: 'IMP-0201\n',
        contentType: 'text/csv',
        ...withKey(k),
      });
    expectApiError(await send(), 404, 'brand_not_found');
    expect((await stack.genAdmin.post('/v1/brands', { id: 'late-import', name: 'Late' })).status).toBe(201);
    const retried = await send();
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await stats('late-import')).toMatchObject({ total: 1 });
  });
});

describe('the predecessor’s generate', () => {
  it('honours the key with its own envelope, byte for byte', async () => {
    const k = key();
    const send = () =>
      stack.gen.request<LegacyEnvelope>('/discounts/api/v1.0/generate', {
        method: 'POST',
        rawBody: '{"brand_id": "acme", "number_of_codes": 4}',
        ...withKey(k, acme.apiKey),
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.text).toBe(
      '{"code":"201","data":"","message":"System generated discount codes successfully","status":"success"}',
    );
    expectReplay(first, await send());
    expect(await stats('acme')).toMatchObject({ total: 425 });
  });
});

describe('provider', () => {
  it('a claim repeated with its key returns the same code and first answer (201)', async () => {
    const jwt = await userToken('u-1');
    const k = key();
    const first = await stack.prov.post<Claim>('/v1/brands/acme/claims', undefined, withKey(k, jwt));
    expect(first.status).toBe(201);
    const again = await stack.prov.post<Claim>('/v1/brands/acme/claims', undefined, withKey(k, jwt));
    expectReplay(first, again);
    // Without the key it is a repeat claim, answered as such (200, the code held).
    const plain = await stack.prov.post<Claim>('/v1/brands/acme/claims', undefined, { token: jwt });
    expect(plain.status).toBe(200);
    expect(plain.body.code).toBe(first.body.code);
    // Another user's same key is theirs: a claim of their own.
    const second = await stack.prov.post<Claim>(
      '/v1/brands/acme/claims',
      undefined,
      withKey(k, await userToken('u-2')),
    );
    expect(second.status).toBe(201);
    expect(second.body.code).not.toBe(first.body.code);
    // The same key on another brand is another request.
    const elsewhere = await stack.prov.post<ApiError>('/v1/brands/other/claims', undefined, withKey(k, jwt));
    expectApiError(elsewhere, 422, 'idempotency_key_reused');
    expect(await stats('acme')).toMatchObject({ claimed: 2 });
  });

  it('registers one user per key and shows the same secret again', async () => {
    const k = key();
    const first = await stack.provAdmin.post<CreatedUser>('/v1/users', { userId: 'carol' }, withKey(k));
    expect(first.status).toBe(201);
    expectReplay(first, await stack.provAdmin.post('/v1/users', { userId: 'carol' }, withKey(k)));
    expectApiError(
      await stack.provAdmin.post<ApiError>('/v1/users', { userId: 'dave' }, withKey(k)),
      422,
      'idempotency_key_reused',
    );
    const db = await stack.db();
    expect(await db.collection('users').countDocuments({})).toBe(1);
    expect(JSON.stringify(await db.collection('idempotency_keys').find({}).toArray())).not.toContain(
      first.body.secret,
    );
  });
});

describe('OpenAPI', () => {
  interface Operation {
    parameters?: Array<{ name: string; in: string; required?: boolean }>;
  }
  type Doc = {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  };
  const hasKeyHeader = (op: Operation | undefined) =>
    (op?.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key' && !p.required);

  it('documents the Idempotency-Key header on the create routes of both apps', async () => {
    const gen = (await stack.gen.get<Doc>('/docs/json')).body;
    const prov = (await stack.prov.get<Doc>('/docs/json')).body;
    for (const [doc, path] of [
      [gen, '/v1/brands'],
      [gen, '/v1/brands/{brandId}/codes'],
      [gen, '/v1/brands/{brandId}/api-keys'],
      [gen, '/discounts/api/v1.0/generate'],
      [prov, '/v1/brands/{brandId}/claims'],
      [prov, '/v1/users'],
    ] as const) {
      expect({ path, documented: hasKeyHeader(doc.paths[path]?.post) }).toEqual({ path, documented: true });
    }
  });

  it('documents the predecessor’s brand_id as an integer or a string', async () => {
    const gen = (await stack.gen.get<Doc>('/docs/json')).body;
    expect(gen.components.schemas.LegacyGenerateRequest?.properties.brand_id).toMatchObject({
      oneOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: expect.any(String) as unknown },
      ],
    });
  });
});
