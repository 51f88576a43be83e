/**
 * Rate limits and lockouts on the real apps, shared by replicas through NATS: two provider
 * processes serve one user and one client IP, and the limits hold across both. Per-process
 * counting would let each replica grant the full limit. Request limits are decided in each
 * replica and kept in step every RATE_LIMIT_SYNC_MS, so the tests wait for that exchange (the
 * replicas' metrics) where the README's staleness bound allows a replica not to know yet; a burst
 * on both at once is held to that bound (R × limit).
 *
 * TRUST_PROXY=loopback lets each test speak for a client IP of its own through X-Forwarded-For (as
 * an ingress would), so tests do not eat each other's budgets.
 */
import { PROVIDER_ADMIN_TOKEN, startE2eStack, type E2eStack } from './support/e2e-stack';
import {
  client,
  type ApiError,
  type Client,
  type CreatedUser,
  type LegacyEnvelope,
  from,
} from './support/http';
import { userToken } from './support/jwt';
import { eventually } from './support/poll';
import {
  expectLegacyRateLimited,
  expectRateLimited,
  lockoutsLearned,
  replicasExchanged as exchanged,
} from './support/rate-limit-replicas';
import { startApp, type AppHandle } from '../support/stack';

const PROVIDER_ENV = {
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_CLAIMS_PER_USER: '3/1m',
  RATE_LIMIT_LEGACY_PER_IP: '10/1m',
  AUTH_FAILURES_PER_USER_IP: '3/15m',
  AUTH_FAILURES_PER_IP: '4/15m',
  AUTH_LOCKOUT_SECONDS: '2',
  AUTH_LOCKOUT_MAX_SECONDS: '60',
};

const GENERATOR_ENV = {
  DEV_OPEN_BRAND_API: undefined,
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_GENERATION_PER_BRAND: '2/1m',
  RATE_LIMIT_READS_PER_BRAND: '3/1m',
  RATE_LIMIT_LEGACY_PER_IP: '3/1m',
};

let stack: E2eStack;
let secondProvider: AppHandle;
/** The two provider replicas, alternated request by request. */
let replicas: [Client, Client];
/** Their admin ports, with the provider's admin token. */
let adminReplicas: [Client, Client];
const secrets: string[] = [];

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'limits',
    generatorEnv: GENERATOR_ENV,
    providerEnv: PROVIDER_ENV,
    // Its replicas' counts of what was exchanged and learnt assume no other run on the same NATS:
    // a shared one would mix other specs' batches and lockouts into the same subjects and buckets.
    requirePrivateNats:
      'counts the batches and lockouts its replicas exchange on the ratelimit subjects and buckets',
  });
  secondProvider = await startApp('provider', {
    MONGODB_URI: stack.mongodbUri,
    NATS_URL: stack.natsUrl,
    ...PROVIDER_ENV,
  });
  replicas = [stack.prov, client(secondProvider.url)];
  adminReplicas = [stack.provAdmin, client(secondProvider.adminUrl!, { token: PROVIDER_ADMIN_TOKEN })];

  const brand = await stack.genAdmin.post('/v1/brands', { id: 'limited', name: 'Limited' });
  expect(brand.status).toBe(201);
  const codes = await stack.genAdmin.post('/v1/brands/limited/codes', { count: 20 });
  expect(codes.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await secondProvider?.stop();
  await stack?.stop();
}, 60_000);

const replica = (i: number) => replicas[i % 2]!;
const replicaUrls = () => [stack.provider.url, secondProvider.url];
const replicasExchanged = () => exchanged(replicaUrls());
/** Lockouts replica `i` has learnt of under the per-IP policy (its own, or through its watch). */
const lockoutsLearnedBy = (i: number) => lockoutsLearned(replicaUrls()[i]!, 'authFailuresPerIp');

async function registerUser(userId: string): Promise<CreatedUser> {
  const res = await stack.provAdmin.post<CreatedUser>('/v1/users', { userId });
  expect(res.status).toBe(201);
  secrets.push(res.body.secret);
  return res.body;
}

describe('claims per user (RATE_LIMIT_CLAIMS_PER_USER=3/1m), two provider replicas', () => {
  it('counts the user once across both replicas: once they have exchanged, the 4th claim is 429 on either', async () => {
    const token = await userToken('u-shared');
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await replica(i).post('/v1/brands/limited/claims', undefined, {
        token,
        headers: from(`198.51.100.${i + 1}`),
      });
      answers.push(res.status);
    }
    expect(answers).toEqual([201, 200, 200]);
    await replicasExchanged();
    for (let i = 3; i < 5; i++) {
      const res = await replica(i).post<ApiError>('/v1/brands/limited/claims', undefined, {
        token,
        headers: from('198.51.100.9'),
      });
      // One claim comes back every 20 s.
      expectRateLimited(res, 20);
    }
  });

  it('leaves other users alone', async () => {
    for (const i of [0, 1]) {
      const res = await replica(i).post('/v1/brands/limited/claims', undefined, {
        token: await userToken(`u-other-${i}`),
      });
      expect(res.status).toBe(201);
    }
  });

  it('changed nothing with the refused claims', async () => {
    const db = await stack.db();
    expect(await db.collection('codes').countDocuments({ brandId: 'limited', claimedBy: 'u-shared' })).toBe(
      1,
    );
    expect(await db.collection('codes').countDocuments({ brandId: 'limited', status: 'claimed' })).toBe(3);
  });

  it('holds a burst on both replicas at once to the stated bound (2 replicas × 3), and no further', async () => {
    const token = await userToken('u-burst');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        replica(i).post<ApiError>('/v1/brands/limited/claims', undefined, {
          token,
          headers: from(`198.51.100.${20 + i}`),
        }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    const admitted = statuses.filter((status) => status === 201 || status === 200).length;
    expect(statuses.filter((status) => status === 429)).toHaveLength(10 - admitted);
    expect(admitted).toBeGreaterThanOrEqual(3);
    expect(admitted).toBeLessThanOrEqual(6);
    await replicasExchanged();
    for (const i of [0, 1]) {
      const res = await replica(i).post<ApiError>('/v1/brands/limited/claims', undefined, { token });
      // One claim every 20 s, and a claim over the limit is owed: up to a minute more.
      expectRateLimited(res, 20 + (admitted - 3) * 20);
    }
  });
});

describe('the predecessor’s route per client IP (RATE_LIMIT_LEGACY_PER_IP=10/1m)', () => {
  it('counts one IP across both replicas, and another IP separately', async () => {
    const user = await registerUser('legacy-ip-user');
    const path = `/discounts/api/v1.0/get_code/${user.userId}/${user.secret}/limited`;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await replica(i).get(path, { headers: from('203.0.113.10') })).status);
    }
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 200));
    await replicasExchanged();
    for (const i of [10, 11]) {
      expectLegacyRateLimited(
        await replica(i).get<LegacyEnvelope>(path, { headers: from('203.0.113.10') }),
        6,
      );
    }
    expect((await replica(0).get(path, { headers: from('203.0.113.11') })).status).toBe(200);
  });
});

describe('wrong secrets on the predecessor’s route (AUTH_FAILURES_PER_USER_IP=3/15m, lockout 2 s)', () => {
  it('locks that user out for that IP after 3 wrong secrets, even with the right one, on both replicas', async () => {
    const user = await registerUser('guessed');
    const wrong = `/discounts/api/v1.0/get_code/${user.userId}/not-the-secret/limited`;
    const right = `/discounts/api/v1.0/get_code/${user.userId}/${user.secret}/limited`;
    const attacker = from('203.0.113.20');
    for (let i = 0; i < 3; i++) {
      const res = await replica(i).get<LegacyEnvelope>(wrong, { headers: attacker });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: '401' });
    }
    for (const i of [0, 1]) {
      expectLegacyRateLimited(await replica(i).get<LegacyEnvelope>(right, { headers: attacker }), 2);
    }
    // The same user from another IP is not locked out: nobody can lock a user out everywhere.
    const elsewhere = await replica(1).get<LegacyEnvelope>(right, { headers: from('203.0.113.21') });
    expect({ status: elsewhere.status, status_: elsewhere.body.status }).toEqual({
      status: 200,
      status_: 'success',
    });
    // Nothing was claimed while locked out: the only claim is the one made from the other IP.
    const db = await stack.db();
    expect(await db.collection('codes').countDocuments({ claimedBy: 'guessed' })).toBe(1);
  });

  it('lets the right secret through again once the lockout is over', async () => {
    const user = await registerUser('patient');
    const wrong = `/discounts/api/v1.0/get_code/${user.userId}/nope/limited`;
    const right = `/discounts/api/v1.0/get_code/${user.userId}/${user.secret}/limited`;
    const ip = from('203.0.113.22');
    for (let i = 0; i < 3; i++) expect((await replica(i).get(wrong, { headers: ip })).status).toBe(401);
    const locked = await replica(0).get<LegacyEnvelope>(right, { headers: ip });
    expectLegacyRateLimited(locked, 2);
    await new Promise((resolve) =>
      setTimeout(resolve, Number(locked.headers.get('retry-after')) * 1000 + 200),
    );
    const res = await replica(1).get<LegacyEnvelope>(right, { headers: ip });
    expect({ status: res.status, body: res.body.status }).toEqual({ status: 200, body: 'success' });
  });
});

describe('wrong bearer tokens per client IP (AUTH_FAILURES_PER_IP=4/15m)', () => {
  it('locks the IP out of the claim route after 4 bad tokens, then refuses even a valid one', async () => {
    const ip = from('203.0.113.30');
    const forged = await userToken('mallory', { secret: 'x'.repeat(48) });
    const learnedBefore = await lockoutsLearnedBy(0);
    for (let i = 0; i < 4; i++) {
      const res = await replica(i).post<ApiError>('/v1/brands/limited/claims', undefined, {
        token: forged,
        headers: ip,
      });
      expect(res.status).toBe(401);
    }
    // The 4th failure, on replica 1, recorded the lockout; replica 0 hears of it through its watch
    // of the shared bucket (the README's bound for valid credentials: one NATS delivery).
    await eventually(async () => expect(await lockoutsLearnedBy(0)).toBeGreaterThan(learnedBefore), {
      intervalMs: 50,
    });
    const valid = await userToken('u-locked-ip');
    const res = await replica(0).post<ApiError>('/v1/brands/limited/claims', undefined, {
      token: valid,
      headers: ip,
    });
    expectRateLimited(res, 2);
    // Another IP is unaffected.
    const elsewhere = await replica(1).post('/v1/brands/limited/claims', undefined, {
      token: valid,
      headers: from('203.0.113.31'),
    });
    expect(elsewhere.status).toBe(201);
  });

  it('does not count requests without credentials: they are not guesses', async () => {
    const ip = from('203.0.113.33');
    for (let i = 0; i < 8; i++) {
      expect((await replica(i).post('/v1/brands/limited/claims', undefined, { headers: ip })).status).toBe(
        401,
      );
    }
    const res = await replica(0).post('/v1/brands/limited/claims', undefined, {
      token: await userToken('u-no-credentials'),
      headers: ip,
    });
    expect(res.status).toBe(201);
  });

  it('counts wrong admin tokens on admin routes the same way', async () => {
    const ip = from('203.0.113.32');
    const learnedBefore = await lockoutsLearnedBy(0);
    for (let i = 0; i < 4; i++) {
      const res = await adminReplicas[i % 2]!.post(
        '/v1/users',
        { userId: `x-${i}` },
        { token: `${PROVIDER_ADMIN_TOKEN}-wrong`, headers: ip },
      );
      expect(res.status).toBe(401);
    }
    await eventually(async () => expect(await lockoutsLearnedBy(0)).toBeGreaterThan(learnedBefore), {
      intervalMs: 50,
    });
    const res = await adminReplicas[0].post<ApiError>('/v1/users', { userId: 'x-right' }, { headers: ip });
    expectRateLimited(res, 2);
    const db = await stack.db();
    expect(await db.collection('users').countDocuments({ _id: { $regex: /^x-/ } as never })).toBe(0);
  });
});

describe('generation per brand (RATE_LIMIT_GENERATION_PER_BRAND=2/1m)', () => {
  it('refuses a brand’s third generation within the window, not the admin’s, not another brand’s', async () => {
    const brands = await Promise.all(
      ['gen-a', 'gen-b'].map((id) => stack.genAdmin.post<{ apiKey: string }>('/v1/brands', { id, name: id })),
    );
    const [keyA, keyB] = brands.map((b) => b.body.apiKey);
    secrets.push(keyA!, keyB!);
    const generate = (brandId: string, token: string) =>
      stack.gen.post<ApiError>(`/v1/brands/${brandId}/codes`, { count: 5 }, { token });
    expect((await generate('gen-a', keyA!)).status).toBe(201);
    expect((await generate('gen-a', keyA!)).status).toBe(201);
    expectRateLimited(await generate('gen-a', keyA!), 30);
    expect((await stack.genAdmin.post(`/v1/brands/gen-a/codes`, { count: 5 })).status).toBe(201);
    expect((await generate('gen-b', keyB!)).status).toBe(201);
    const db = await stack.db();
    expect(await db.collection('codes').countDocuments({ brandId: 'gen-a' })).toBe(15);
  });

  it('counts listing, export and stats of a brand together (RATE_LIMIT_READS_PER_BRAND=3/1m)', async () => {
    const brand = await stack.genAdmin.post<{ apiKey: string }>('/v1/brands', { id: 'reads', name: 'r' });
    secrets.push(brand.body.apiKey);
    const token = brand.body.apiKey;
    expect((await stack.gen.get('/v1/brands/reads/codes', { token })).status).toBe(200);
    expect((await stack.gen.get('/v1/brands/reads/codes.csv', { token })).status).toBe(200);
    expect((await stack.gen.get('/v1/brands/reads/stats', { token })).status).toBe(200);
    expectRateLimited(await stack.gen.get<ApiError>('/v1/brands/reads/stats', { token }), 30);
    expect((await stack.genAdmin.get('/v1/brands/reads/stats')).status).toBe(200);
  });

  it('limits the predecessor’s generate route per IP too (RATE_LIMIT_LEGACY_PER_IP=3/1m)', async () => {
    const send = () =>
      stack.genAdmin.request<LegacyEnvelope>('/discounts/api/v1.0/generate', {
        method: 'POST',
        json: { brand_id: 77, number_of_codes: 1 },
        headers: from('203.0.113.40'),
      });
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    expectLegacyRateLimited(await send(), 20);
  });
});

describe('RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers)', () => {
  const fields = (res: { headers: Headers }) => ({
    policy: res.headers.get('ratelimit-policy'),
    limit: res.headers.get('ratelimit'),
  });

  it('state the quota and what is left on every admitted claim, and r=0 with Retry-After on the 429', async () => {
    const token = await userToken('u-fields');
    // One replica: its own admissions count at once, so the numbers are exact.
    const claim = () => replica(0).post<ApiError>('/v1/brands/limited/claims', undefined, { token });
    const answers = [await claim(), await claim(), await claim()];
    expect(answers.map((res) => res.status)).toEqual([201, 200, 200]);
    for (const res of answers) expect(fields(res).policy).toBe('"claimsPerUser";q=3;w=60');
    // 3/1m: one claim comes back every 20 s; t is the time until then.
    expect(fields(answers[0]!).limit).toBe('"claimsPerUser";r=2;t=20');
    const later = answers
      .slice(1)
      .map((res) => /^"claimsPerUser";r=(\d+);t=(\d+)$/.exec(fields(res).limit ?? ''));
    expect(later.map((m) => Number(m?.[1]))).toEqual([1, 0]);
    for (const m of later) {
      expect(Number(m?.[2])).toBeGreaterThanOrEqual(1);
      expect(Number(m?.[2])).toBeLessThanOrEqual(20);
    }

    const refused = await claim();
    expectRateLimited(refused, 20);
    expect(fields(refused)).toEqual({
      policy: '"claimsPerUser";q=3;w=60',
      limit: `"claimsPerUser";r=0;t=${refused.headers.get('retry-after')}`,
    });
  });

  it('are on the predecessor’s limited route too, beside an unchanged envelope', async () => {
    const user = await registerUser('fields-legacy');
    const res = await replica(0).get<LegacyEnvelope>(
      `/discounts/api/v1.0/get_code/${user.userId}/${user.secret}/limited`,
      { headers: from('203.0.113.50') },
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'data', 'message', 'status']);
    // 10/1m per IP: one request every 6 s.
    expect(fields(res)).toEqual({ policy: '"legacyPerIp";q=10;w=60', limit: '"legacyPerIp";r=9;t=6' });
  });

  it('list both policies of a route limited twice, and none for a caller no limit applies to', async () => {
    const brand = await stack.genAdmin.post<{ apiKey: string }>('/v1/brands', { id: 'fields', name: 'f' });
    secrets.push(brand.body.apiKey);
    const res = await stack.gen.request<LegacyEnvelope>('/discounts/api/v1.0/generate', {
      method: 'POST',
      json: { brand_id: 'fields', number_of_codes: 1 },
      token: brand.body.apiKey,
      headers: from('203.0.113.51'),
    });
    expect(res.status).toBe(200);
    expect(fields(res)).toEqual({
      policy: '"legacyPerIp";q=3;w=60, "generationPerBrand";q=2;w=60',
      limit: '"legacyPerIp";r=2;t=20, "generationPerBrand";r=1;t=30',
    });
    // The admin token is not limited per brand; admin routes and probes are not limited at all.
    const admin = await stack.genAdmin.post('/v1/brands/fields/codes', { count: 1 });
    expect(admin.status).toBe(201);
    expect(fields(admin)).toEqual({ policy: null, limit: null });
    const users = await stack.provAdmin.post('/v1/users', { userId: 'fields-unlimited' });
    expect(users.status).toBe(201);
    expect(fields(users)).toEqual({ policy: null, limit: null });
  });
});

describe('logs', () => {
  it('report lockouts without any secret, user id or key', () => {
    const logs = stack.provider.logs() + secondProvider.logs() + stack.generator.logs();
    expect(logs).toMatch(/locked out for \d+ s after repeated failures/);
    for (const secret of secrets)
      expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
    const errors = logs.split('\n').filter((line) => /"level":"(error|fatal)"|\bERROR\b/.test(line));
    expect(errors).toEqual([]);
  });
});
