/**
 * The predecessor's curl flows (seed-compatible API), with DEV_OPEN_BRAND_API=true as in its
 * quickstart: generate codes for brand 1 without a key, register a user, get a code, and every way
 * of getting these routes wrong. Secrets must never reach the logs.
 */
import { hashSecret } from '@app/auth';
import { TEST_USER_SECRET_PEPPER } from '../support/stack';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import {
  DEFAULT_CODE_PATTERN,
  type ApiError,
  type BrandStats,
  type CreatedUser,
  type LegacyEnvelope,
  type RequestOptions,
} from './support/http';
import { eventually } from './support/poll';

const BODY_LIMIT = 2048;
const GENERATE = '/discounts/api/v1.0/generate';
const getCodePath = (userId: string, secret: string, brandId: string) =>
  `/discounts/api/v1.0/get_code/${userId}/${secret}/${brandId}`;
const SUCCESS_GENERATE: LegacyEnvelope = {
  code: '201',
  data: '',
  message: 'System generated discount codes successfully',
  status: 'success',
};

let stack: E2eStack;
let alice: CreatedUser;
let bob: CreatedUser;
let aliceCode: string;
/** Every secret-like string sent in a URL: none may show up in a log. */
const sentSecrets: string[] = [];

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'legacy',
    generatorEnv: {
      DEV_OPEN_BRAND_API: 'true',
      HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT),
      LOG_LEVEL: 'debug',
      // The limit the refusals below are written against (the default is 10,000,000 since jobs).
      GENERATION_MAX_COUNT: '1000000',
    },
    providerEnv: { HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT), LOG_LEVEL: 'debug' },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

async function stats(brandId = '1'): Promise<BrandStats> {
  const res = await stack.gen.get<BrandStats>(`/v1/brands/${brandId}/stats`);
  expect(res.status).toBe(200);
  return res.body;
}

async function getCode(userId: string, secret: string, brandId = '1') {
  sentSecrets.push(secret);
  return stack.prov.get<LegacyEnvelope>(getCodePath(userId, secret, brandId));
}

function expectErrorEnvelope(res: { status: number; body: LegacyEnvelope; text: string }, status: number) {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { code: String(status), data: '', message: expect.any(String) as unknown, status: 'error' },
  });
  expect(Object.keys(res.body).sort()).toEqual(['code', 'data', 'message', 'status']);
  expect(res.body.message.length).toBeGreaterThan(0);
}

describe('seed-compatible flow (DEV_OPEN_BRAND_API=true)', () => {
  it('generates 100 codes for brand 1 with exactly the predecessor’s answer', async () => {
    // curl -X POST -H 'Content-Type: application/json' -d '{"brand_id": 1, "number_of_codes": 100}' …/generate
    const res = await stack.gen.request<LegacyEnvelope>(GENERATE, {
      method: 'POST',
      rawBody: '{"brand_id": 1, "number_of_codes": 100}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toStrictEqual(SUCCESS_GENERATE);
    expect(res.text).toBe(JSON.stringify(SUCCESS_GENERATE));

    const codes = await (await stack.db()).collection('codes').find({ brandId: '1' }).toArray();
    expect(codes).toHaveLength(100);
    expect(new Set(codes.map((c) => c.code as string)).size).toBe(100);
    for (const c of codes) {
      expect(c.code).toMatch(DEFAULT_CODE_PATTERN);
      expect(c.status).toBe('available');
    }
    expect(await stats()).toEqual({
      brandId: '1',
      total: 100,
      available: 100,
      claimed: 0,
      expired: 0,
      claimedNotified: 0,
    });
  });

  it('registers users through the admin API, showing each secret once', async () => {
    const res = await stack.provAdmin.post<CreatedUser>('/v1/users', { userId: 'alice' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      userId: 'alice',
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{16,128}$/) as unknown,
    });
    alice = res.body;

    const generated = await stack.provAdmin.post<CreatedUser>('/v1/users', {});
    expect(generated.status).toBe(201);
    expect(generated.body.userId).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
    expect(generated.body.secret).not.toBe(alice.secret);
    bob = generated.body;

    const again = await stack.provAdmin.post<ApiError>('/v1/users', { userId: 'alice' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ statusCode: 409, error: 'user_exists' });
    expect(again.text).not.toContain(alice.secret);

    const noToken = await stack.prov.post<ApiError>('/v1/users', { userId: 'mallory' });
    expect(noToken.status).toBe(401);
    expect(noToken.body).toMatchObject({ statusCode: 401, error: 'unauthorized' });

    // Only a hash is stored.
    const users = await (await stack.db()).collection('users').find({}).toArray();
    expect(users.map((u) => u._id).sort()).toEqual(['alice', bob.userId].sort());
    for (const u of users) {
      expect(JSON.stringify(u)).not.toContain(alice.secret);
      expect(JSON.stringify(u)).not.toContain(bob.secret);
    }
  });

  it.each<[string, unknown]>([
    ['a user id with "$"', { userId: '$gt' }],
    ['a user id that is an object', { userId: { $gt: '' } }],
    ['a chosen secret', { userId: 'carol', secret: 'mine' }],
    ['a user id of 65 characters', { userId: 'c'.repeat(65) }],
  ])('refuses to register %s (400, v1 shape)', async (_name, body) => {
    const res = await stack.provAdmin.post<ApiError>('/v1/users', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'invalid_input' });
    expect(await (await stack.db()).collection('users').countDocuments({})).toBe(2);
  });

  it('get_code hands the user a code in the predecessor’s envelope', async () => {
    // curl http://localhost:5002/discounts/api/v1.0/get_code/<user_id>/<user_secret>/1
    const res = await getCode(alice.userId, alice.secret);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      code: '201',
      data: expect.stringMatching(DEFAULT_CODE_PATTERN) as unknown,
      message: '',
      status: 'success',
    });
    expect(Object.keys(res.body)).toEqual(['code', 'data', 'message', 'status']);
    aliceCode = res.body.data;

    const doc = await (await stack.db()).collection('codes').findOne({ brandId: '1', code: aliceCode });
    expect(doc).toMatchObject({ status: 'claimed', claimedBy: 'alice' });
  });

  it('gives the same user the same code again', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await getCode(alice.userId, alice.secret);
      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual({ code: '201', data: aliceCode, message: '', status: 'success' });
    }
    const claimed = await (
      await stack.db()
    )
      .collection('codes')
      .countDocuments({ brandId: '1', status: 'claimed' });
    expect(claimed).toBe(1);
  });

  it('counts the claim in the stats, and the generator hears of it over NATS', async () => {
    expect(await stats()).toMatchObject({ brandId: '1', total: 100, available: 99, claimed: 1 });
    await eventually(async () => expect((await stats()).claimedNotified).toBe(1), { timeoutMs: 20_000 });
  });

  it('answers a wrong secret with a 401 envelope and claims nothing', async () => {
    const wrong = 'Wr0ngSecretWr0ngSecret00';
    const res = await getCode(bob.userId, wrong);
    expectErrorEnvelope(res, 401);

    // Alice holds a code: a wrong secret must not reveal it.
    const aliceWrong = await getCode(
      alice.userId,
      `${alice.secret.slice(0, -1)}${alice.secret.endsWith('A') ? 'B' : 'A'}`,
    );
    expectErrorEnvelope(aliceWrong, 401);
    expect(aliceWrong.text).not.toContain(aliceCode);

    expect(await stats()).toMatchObject({ total: 100, available: 99, claimed: 1 });
    const bobs = await (await stack.db()).collection('codes').countDocuments({ claimedBy: bob.userId });
    expect(bobs).toBe(0);
  });

  it('answers an unknown user like a wrong secret (401, same message)', async () => {
    const wrongSecret = await getCode(bob.userId, 'AnotherWrongSecret123456');
    const unknown = await getCode('nobody-here', 'AnotherWrongSecret123456');
    expectErrorEnvelope(unknown, 401);
    expect(unknown.body.message).toBe(wrongSecret.body.message);
    expect(await stats()).toMatchObject({ total: 100, claimed: 1 });
  });

  it('answers an unknown brand with a 404 envelope and registers nothing', async () => {
    const res = await getCode(bob.userId, bob.secret, '999');
    expectErrorEnvelope(res, 404);
    const brands = await (await stack.db()).collection('brands').find({}).toArray();
    expect(brands.map((b) => b._id)).toEqual(['1']);
    expect(await (await stack.db()).collection('codes').countDocuments({ claimedBy: bob.userId })).toBe(0);
  });

  describe('bad path parameters are a 400 envelope', () => {
    const cases: Array<[string, () => [string, string, string]]> = [
      ['user id with spaces', () => ['bad%20user', alice.secret, '1']],
      ['user id "$gt"', () => ['%24gt', alice.secret, '1']],
      ['user id {"$gt":""}', () => [encodeURIComponent('{"$gt":""}'), alice.secret, '1']],
      ['user id of 65 characters', () => ['u'.repeat(65), alice.secret, '1']],
      ['user id starting with "."', () => ['.alice', alice.secret, '1']],
      ['secret with "$"', () => [alice.userId, 'abc%24def', '1']],
      ['secret with spaces', () => [alice.userId, 'abc%20def', '1']],
      ['brand id "$gt"', () => [alice.userId, alice.secret, '%24gt']],
      ['brand id with spaces', () => [alice.userId, alice.secret, '1%201']],
      ['brand id of 65 characters', () => [alice.userId, alice.secret, '1'.repeat(65)]],
    ];
    it.each(cases)('%s', async (_name, params) => {
      const [userId, secret, brandId] = params();
      const res = await getCode(userId, secret, brandId);
      expectErrorEnvelope(res, 400);
      expect(res.text).not.toContain(alice.secret);
      expect(res.text).not.toContain('S'.repeat(129));
    });

    it('a secret of 129 characters is a 400 envelope', async () => {
      const res = await getCode(alice.userId, 'S'.repeat(129));
      expectErrorEnvelope(res, 400);
      expect(res.text).not.toContain('S'.repeat(129));
    });

    it('a user id of 101 characters is a 400 envelope', async () => {
      const res = await getCode('u'.repeat(101), alice.secret);
      expectErrorEnvelope(res, 400);
      expect(res.text).not.toContain(alice.secret);
    });

    it('a malformed percent-encoding in the path is a 400 envelope', async () => {
      const res = await getCode(alice.userId, `${alice.secret}%E0%A4%A`);
      expectErrorEnvelope(res, 400);
      expect(res.text).not.toContain(alice.secret);
    });

    it('changed nothing', async () => {
      expect(await stats()).toMatchObject({ total: 100, available: 99, claimed: 1 });
    });
  });

  describe('invalid generate requests are refused in the envelope and change nothing', () => {
    const json = (body: string): RequestOptions => ({ method: 'POST', rawBody: body });
    const cases: Array<[string, number, RequestOptions]> = [
      ['an empty object', 400, json('{}')],
      ['no number_of_codes', 400, json('{"brand_id": 1}')],
      ['no brand_id', 400, json('{"number_of_codes": 10}')],
      ['number_of_codes as a string', 400, json('{"brand_id": 1, "number_of_codes": "10"}')],
      // A string names a brand only in the v1 id form, and a number-like one only as its integer would.
      ['brand_id "abc!"', 400, json('{"brand_id": "abc!", "number_of_codes": 10}')],
      ['brand_id ""', 400, json('{"brand_id": "", "number_of_codes": 10}')],
      ['brand_id " 1"', 400, json('{"brand_id": " 1", "number_of_codes": 10}')],
      ['brand_id "1.5"', 400, json('{"brand_id": "1.5", "number_of_codes": 10}')],
      ['brand_id "-1"', 400, json('{"brand_id": "-1", "number_of_codes": 10}')],
      ['brand_id "0"', 400, json('{"brand_id": "0", "number_of_codes": 10}')],
      ['brand_id "01"', 400, json('{"brand_id": "01", "number_of_codes": 10}')],
      ['brand_id of 65 characters', 400, json(`{"brand_id": "${'b'.repeat(65)}", "number_of_codes": 10}`)],
      ['a negative number_of_codes', 400, json('{"brand_id": 1, "number_of_codes": -5}')],
      ['a zero number_of_codes', 400, json('{"brand_id": 1, "number_of_codes": 0}')],
      ['a negative brand_id', 400, json('{"brand_id": -1, "number_of_codes": 10}')],
      ['a float number_of_codes', 400, json('{"brand_id": 1, "number_of_codes": 1.5}')],
      ['a float brand_id', 400, json('{"brand_id": 1.5, "number_of_codes": 10}')],
      ['number_of_codes {"$gt":""}', 400, json('{"brand_id": 1, "number_of_codes": {"$gt": ""}}')],
      ['brand_id {"$gt":""}', 400, json('{"brand_id": {"$gt": ""}, "number_of_codes": 10}')],
      ['a body that is {"$gt":""}', 400, json('{"$gt": ""}')],
      ['an extra field', 400, json('{"brand_id": 1, "number_of_codes": 10, "status": "claimed"}')],
      ['null fields', 400, json('{"brand_id": null, "number_of_codes": null}')],
      ['a JSON array', 400, json('[{"brand_id": 1, "number_of_codes": 10}]')],
      ['a JSON string', 400, json('"brand_id=1"')],
      ['JSON null', 400, json('null')],
      ['__proto__ poisoning', 400, json('{"brand_id": 1, "number_of_codes": 10, "__proto__": {"x": 1}}')],
      ['number_of_codes above the schema ceiling', 400, json('{"brand_id": 1, "number_of_codes": 10000001}')],
      [
        'number_of_codes above GENERATION_MAX_COUNT',
        400,
        json('{"brand_id": 1, "number_of_codes": 1000001}'),
      ],
      ['number_of_codes 1e400 (Infinity)', 400, json('{"brand_id": 1, "number_of_codes": 1e400}')],
      ['malformed JSON', 400, json('{"brand_id": 1, "number_of_codes": ')],
      ['an empty JSON body', 400, json('')],
      ['no body and no content type', 400, { method: 'POST', rawBody: undefined }],
      [
        'text/plain',
        415,
        { method: 'POST', rawBody: 'brand_id=1&number_of_codes=10', contentType: 'text/plain' },
      ],
      [
        'application/xml',
        415,
        { method: 'POST', rawBody: '<brand_id>1</brand_id>', contentType: 'application/xml' },
      ],
      [
        `a body over HTTP_BODY_LIMIT_BYTES (${BODY_LIMIT})`,
        413,
        json(`{"brand_id": 1, "number_of_codes": 10, "pad": "${'x'.repeat(2 * BODY_LIMIT)}"}`),
      ],
    ];
    it.each(cases)('%s → %i', async (_name, status, opts) => {
      const res = await stack.gen.request<LegacyEnvelope>(GENERATE, opts);
      expectErrorEnvelope(res, status);
    });

    it('a count above GENERATION_MAX_COUNT for a brand not yet registered registers nothing', async () => {
      // Found by the API fuzzer: the brand used to be registered before the count was checked.
      const res = await stack.gen.request<LegacyEnvelope>(
        GENERATE,
        json('{"brand_id": 424242, "number_of_codes": 1000001}'),
      );
      expectErrorEnvelope(res, 400);
      expect(await (await stack.db()).collection('brands').countDocuments({ _id: '424242' as never })).toBe(
        0,
      );
    });

    it('a form is refused (415, or 400 when the form parser turns the numbers into strings)', async () => {
      // Nest's Fastify adapter registers an application/x-www-form-urlencoded parser, so a form
      // reaches validation with string values; either refusal is acceptable here.
      const res = await stack.gen.request<LegacyEnvelope>(GENERATE, {
        method: 'POST',
        rawBody: 'brand_id=1&number_of_codes=10',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect([400, 415]).toContain(res.status);
      expectErrorEnvelope(res, res.status);
    });

    it('changed nothing', async () => {
      // claimedNotified too: the repeated get_code calls must not have announced new claims.
      expect(await stats()).toEqual({
        brandId: '1',
        total: 100,
        available: 99,
        claimed: 1,
        expired: 0,
        claimedNotified: 1,
      });
      const db = await stack.db();
      expect(await db.collection('codes').countDocuments({})).toBe(100);
      expect((await db.collection('brands').find({}).toArray()).map((b) => b._id)).toEqual(['1']);
    });

    it('a v1 body over the limit is a 413 in the v1 shape', async () => {
      const res = await stack.gen.post<ApiError>('/v1/brands/1/codes', {
        count: 1,
        pad: 'x'.repeat(2 * BODY_LIMIT),
      });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
    });
  });

  it('answers 409 in the envelope when a brand has no codes left', async () => {
    const gen = await stack.gen.request<LegacyEnvelope>(GENERATE, {
      method: 'POST',
      rawBody: '{"brand_id": 2, "number_of_codes": 1}',
    });
    expect(gen.body).toStrictEqual(SUCCESS_GENERATE);

    const first = await getCode(alice.userId, alice.secret, '2');
    expect(first.status).toBe(200);
    expect(first.body.data).toMatch(DEFAULT_CODE_PATTERN);
    expect(first.body.data).not.toBe(aliceCode);

    const second = await getCode(bob.userId, bob.secret, '2');
    expectErrorEnvelope(second, 409);
    expect(await stats('2')).toMatchObject({ total: 1, available: 0, claimed: 1 });
    // Brand 1 is untouched.
    expect(await stats('1')).toMatchObject({ total: 100, available: 99, claimed: 1 });
  });

  it('answers an unknown route under /discounts/ with a 404 envelope that does not echo the path', async () => {
    // get_code without its brand segment: the secret is in a path that matches no route.
    const res = await stack.prov.get<LegacyEnvelope>(
      `/discounts/api/v1.0/get_code/${alice.userId}/${alice.secret}`,
    );
    expectErrorEnvelope(res, 404);
    expect(res.text).not.toContain(alice.secret);
    const gen = await stack.gen.get<LegacyEnvelope>('/discounts/api/v1.0/generate');
    expectErrorEnvelope(gen, 404);
  });

  it('checks a changed secret against the new hash at once, although the old one was just accepted', async () => {
    // Alice's secret was accepted a moment ago, so the provider remembers that check; changing the
    // stored hash must still refuse the old secret immediately (the memory is bound to the hash).
    expect((await getCode(alice.userId, alice.secret)).status).toBe(200);
    const newSecret = 'N3wSecretForAliceN3wSecret';
    const users = (await stack.db()).collection<{ _id: string; secretHash: string }>('users');
    await users.updateOne({ _id: alice.userId }, { $set: { secretHash: await hashSecret(newSecret) } });

    expectErrorEnvelope(await getCode(alice.userId, alice.secret), 401);
    const withNew = await getCode(alice.userId, newSecret);
    expect(withNew.status).toBe(200);
    expect(withNew.body.data).toBe(aliceCode);
    alice = { ...alice, secret: newSecret };
  });

  describe('brand_id as a v1 id string', () => {
    const generate = (brandId: unknown, count: number, opts: RequestOptions = {}) =>
      stack.gen.request<LegacyEnvelope>(GENERATE, {
        method: 'POST',
        rawBody: JSON.stringify({ brand_id: brandId, number_of_codes: count }),
        ...opts,
      });

    it('"1" names the same brand as 1, with the same answer byte for byte', async () => {
      const before = await stats('1');
      const res = await generate('1', 5);
      expect(res.status).toBe(200);
      expect(res.text).toBe(JSON.stringify(SUCCESS_GENERATE));
      const asNumber = await generate(1, 3);
      expect(asNumber.text).toBe(JSON.stringify(SUCCESS_GENERATE));
      expect(await stats('1')).toMatchObject({ total: before.total + 8, available: before.available + 8 });
      const db = await stack.db();
      expect(await db.collection('brands').countDocuments({ _id: { $in: ['01', ' 1'] } as never })).toBe(0);
    });

    it('fills a brand created through v1 with its key or the admin token', async () => {
      const created = await stack.genAdmin.post<{ apiKey: string }>('/v1/brands', {
        id: 'acme',
        name: 'Acme',
      });
      expect(created.status).toBe(201);
      const withKey = await generate('acme', 7, { token: created.body.apiKey });
      expect(withKey.status).toBe(200);
      expect(withKey.text).toBe(JSON.stringify(SUCCESS_GENERATE));
      const withAdmin = await stack.genAdmin.request<LegacyEnvelope>(GENERATE, {
        method: 'POST',
        rawBody: '{"brand_id": "acme", "number_of_codes": 3}',
      });
      expect(withAdmin.status).toBe(200);
      expect(withAdmin.text).toBe(JSON.stringify(SUCCESS_GENERATE));
      expect(await stats('acme')).toMatchObject({ brandId: 'acme', total: 10, available: 10 });

      // Its key still acts on its own brand only, whichever form names the other one.
      for (const other of [1, '1']) {
        const res = await generate(other, 1, { token: created.body.apiKey });
        expectErrorEnvelope(res, 403);
      }
      expect(await stats('acme')).toMatchObject({ total: 10 });
    });

    it('refuses a malformed string with a message naming both forms, registering nothing', async () => {
      const brandsBefore = await (await stack.db()).collection('brands').countDocuments({});
      const codesBefore = await (await stack.db()).collection('codes').countDocuments({});
      for (const bad of ['abc!', 'new brand', '0', '007', '1e3', '$where']) {
        const res = await generate(bad, 5);
        expectErrorEnvelope(res, 400);
        expect(res.body.message).toMatch(/brand_id .*integer from 1 to 9007199254740991/);
      }
      const db = await stack.db();
      expect(await db.collection('brands').countDocuments({})).toBe(brandsBefore);
      expect(await db.collection('codes').countDocuments({})).toBe(codesBefore);
    });
  });

  it('never writes a secret to either app’s logs', () => {
    const generatorLogs = stack.generator.logs();
    const providerLogs = stack.provider.logs();
    // The logs were captured at all (LOG_LEVEL=debug), so their silence means something.
    expect(generatorLogs).toContain('DEV_OPEN_BRAND_API=true');
    expect(providerLogs).toMatch(/listening on/);
    const secrets = [alice.secret, bob.secret, TEST_USER_SECRET_PEPPER, ...sentSecrets].filter(
      (s) => s.length >= 8,
    );
    // Runs last (tests run in definition order): the over-long secret of the path tests was sent.
    expect(sentSecrets).toContain('S'.repeat(129));
    for (const secret of new Set(secrets)) {
      expect({ secret, inGeneratorLogs: generatorLogs.includes(secret) }).toEqual({
        secret,
        inGeneratorLogs: false,
      });
      expect({ secret, inProviderLogs: providerLogs.includes(secret) }).toEqual({
        secret,
        inProviderLogs: false,
      });
    }
  });
});
