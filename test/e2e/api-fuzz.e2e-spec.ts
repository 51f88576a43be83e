/**
 * API fuzzing of both apps with fast-check, over real sockets: requests built from every route
 * with hostile path parameters, query strings, headers, credentials and bodies (see
 * support/fuzz-arbitraries.ts). For every case:
 *
 *   - the answer is never a 5xx, and never carries a stack trace or internals;
 *   - a rejected request (4xx, or a connection the server cut) changed nothing: codes, claims,
 *     brands, users and stats are identical before and after;
 *   - the process stays healthy (/health/live is polled along the way and at the end).
 *
 * Accepted requests (a valid credential with a valid body does happen) may change state; the
 * reference snapshot is then taken again. FUZZ_RUNS sets the cases per app (default 600), and
 * FUZZ_SEED replays a run; the number of cases run is printed.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import {
  GENERATOR_ADMIN_TOKEN,
  PROVIDER_ADMIN_TOKEN,
  startE2eStack,
  type E2eStack,
} from './support/e2e-stack';
import {
  fuzzRequest,
  GENERATOR_ROUTES,
  PROVIDER_ROUTES,
  SECRET_PLACEHOLDER,
  type CredentialKind,
  type FuzzRequest,
} from './support/fuzz-arbitraries';
import { request, type ApiResponse, type CreatedBrand, type CreatedUser } from './support/http';
import { unsecuredToken, userToken } from './support/jwt';
import { TEST_JWT_SECRET } from '../support/stack';

const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** Keeps accepted generation requests small: the dev database scans whole collections. */
const MAX_COUNT = 50;

let stack: E2eStack;
const keys: Record<string, string> = {};
let userSecret = '';
const tokens = {} as Record<'userJwt' | 'forgedJwt' | 'expiredJwt' | 'noExpJwt' | 'operatorSubJwt', string[]>;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'fuzz',
    generatorEnv: { DEV_OPEN_BRAND_API: undefined, GENERATION_MAX_COUNT: String(MAX_COUNT) },
  });
  for (const id of ['fuzzbrand', 'other-brand']) {
    const brand = await stack.genAdmin.post<CreatedBrand>('/v1/brands', { id, name: id });
    expect(brand.status).toBe(201);
    keys[id] = brand.body.apiKey;
  }
  expect((await stack.genAdmin.post('/v1/brands/fuzzbrand/codes', { count: 40 })).status).toBe(201);
  const user = await stack.provAdmin.post<CreatedUser>('/v1/users', { userId: 'fuzzuser' });
  expect(user.status).toBe(201);
  userSecret = user.body.secret;
  const now = Math.floor(Date.now() / 1000);
  tokens.userJwt = await Promise.all(['fz-1', 'fz-2', 'fz-3'].map((u) => userToken(u)));
  tokens.forgedJwt = [await userToken('fz-1', { secret: 'f'.repeat(48) })];
  tokens.expiredJwt = [await userToken('fz-1', { exp: now - 3_600 })];
  tokens.operatorSubJwt = await Promise.all(['$gt', '__proto__', 'a b', '#fuzz'].map((u) => userToken(u)));
  tokens.noExpJwt = [
    await new SignJWT({ sub: 'fz-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(TEST_JWT_SECRET)),
  ];
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

type App = 'generator' | 'provider';

/** Admin credentials go to the admin port, as in a deployment, so that admin requests get through. */
const toAdminPort = (kind: CredentialKind) => kind === 'admin' || kind === 'wrongAdmin';

function authorizationFor(app: App, kind: CredentialKind, garbage: string, pick: number): string | undefined {
  const one = (list: string[]) => list[pick % list.length]!;
  const adminToken = app === 'generator' ? GENERATOR_ADMIN_TOKEN : PROVIDER_ADMIN_TOKEN;
  switch (kind) {
    case 'none':
      return undefined;
    case 'admin':
      return `Bearer ${adminToken}`;
    case 'wrongAdmin':
      return `Bearer ${adminToken}x`;
    case 'brandKey':
      return `Bearer ${keys.fuzzbrand}`;
    case 'otherBrandKey':
      return `Bearer ${keys['other-brand']}`;
    case 'unknownApiKey':
      return `Bearer dk_${randomBytes(32).toString('base64url')}`;
    case 'algNoneJwt':
      return `Bearer ${unsecuredToken('fz-1')}`;
    case 'userJwt':
    case 'forgedJwt':
    case 'expiredJwt':
    case 'noExpJwt':
    case 'operatorSubJwt':
      return `Bearer ${one(tokens[kind])}`;
    case 'garbage':
      return garbage;
    case 'basic':
      return `Basic ${Buffer.from(`fuzzuser:${userSecret}`).toString('base64')}`;
    case 'hugeBearer':
      return `Bearer ${'a'.repeat(30_000)}`;
  }
}

/** Everything a request could change, minus what background work changes on its own. */
async function snapshot(): Promise<unknown> {
  const db = await stack.db();
  // Outbox and notification bookkeeping, written after a claim's answer as its event travels
  // (relay → NATS → generator), not by the request itself.
  const codes = await db
    .collection('codes')
    .find({}, { projection: { eventPublishedAt: 0, eventPending: 0, claimNotifiedAt: 0 } })
    .sort({ brandId: 1, code: 1 })
    .toArray();
  // claimedNotified / updatedAt: counted by the generator as claim events arrive over NATS;
  // lastPoolLowEventId / lastReplenishAt: pool top-up bookkeeping driven by those events.
  const brands = await db
    .collection('brands')
    .find({}, { projection: { claimedNotified: 0, updatedAt: 0, lastPoolLowEventId: 0, lastReplenishAt: 0 } })
    .sort({ _id: 1 })
    .toArray();
  const users = await db.collection('users').find({}).sort({ _id: 1 }).toArray();
  const stats = await stack.genAdmin.get<Record<string, unknown>>('/v1/brands/fuzzbrand/stats');
  const { claimedNotified: _, ...counts } = stats.body;
  return { codes, brands, users, stats: counts };
}

interface FuzzRun {
  cases: number;
  accepted: number;
  /** Answers by status; 0 counts connections the server closed instead of answering (over-limit uploads). */
  statuses: Record<number, number>;
  reference: unknown;
}

type Answer = Pick<ApiResponse, 'status' | 'text' | 'headers'> | { status: 0; text: ''; headers: Headers };

async function send(app: App, baseUrl: string, req: FuzzRequest, pick: number): Promise<Answer> {
  const authorization = authorizationFor(app, req.credential, req.garbageAuthorization, pick);
  try {
    return await request(baseUrl, req.path.replace(SECRET_PLACEHOLDER, userSecret), {
      method: req.method,
      headers: { ...req.headers, ...(authorization === undefined ? {} : { authorization }) },
      ...(req.body === undefined ? {} : { rawBody: req.body, contentType: req.contentType }),
      timeoutMs: 20_000,
    });
  } catch (error) {
    // The server may answer an oversized upload and close before the client has sent it all.
    const cause = (error as { cause?: { code?: string } }).cause;
    if (
      error instanceof TypeError &&
      ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(cause?.code ?? '') &&
      ((req.body?.length ?? 0) > 60_000 ||
        JSON.stringify(req.headers).length > 10_000 ||
        req.credential === 'hugeBearer')
    ) {
      return { status: 0, text: '', headers: new Headers() };
    }
    throw new Error(`request could not be sent: ${req.method} ${req.path.slice(0, 200)}: ${String(error)}`);
  }
}

function describeCase(req: FuzzRequest, answer: Answer): string {
  return JSON.stringify({
    method: req.method,
    path: req.path.slice(0, 300),
    credential: req.credential,
    contentType: req.contentType,
    body: req.body?.slice(0, 300),
    status: answer.status,
    answer: answer.text.slice(0, 300),
  });
}

async function runCase(
  app: 'generator' | 'provider',
  req: FuzzRequest,
  pick: number,
  run: FuzzRun,
): Promise<void> {
  const handle = app === 'generator' ? stack.generator : stack.provider;
  const answer = await send(app, toAdminPort(req.credential) ? handle.adminUrl! : handle.url, req, pick);
  run.cases++;
  run.statuses[answer.status] = (run.statuses[answer.status] ?? 0) + 1;
  const context = describeCase(req, answer);

  expect({ context, serverError: answer.status >= 500 }).toEqual({ context, serverError: false });
  expect({
    context,
    leaks: /\n\s+at |node_modules|TypeError|MongoServerError|stack/.test(answer.text),
  }).toEqual({
    context,
    leaks: false,
  });

  if (answer.status >= 200 && answer.status < 300) {
    run.accepted++;
    const body = answer.text ? (JSON.parse(answer.text) as { brandId?: string; apiKey?: string }) : {};
    // An accepted rotation replaced a key: use the new one from now on.
    if (req.path.includes('/api-keys') && body.brandId && body.apiKey) keys[body.brandId] = body.apiKey;
    run.reference = await snapshot();
  } else {
    const after = await snapshot();
    expect({ context, after }).toEqual({ context, after: run.reference });
  }

  if (run.cases % 50 === 0) {
    const live = await request(handle.url, '/health/live');
    expect({ context, live: live.status }).toEqual({ context, live: 200 });
  }
}

async function fuzz(app: 'generator' | 'provider'): Promise<FuzzRun> {
  const run: FuzzRun = { cases: 0, accepted: 0, statuses: {}, reference: await snapshot() };
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(
      fuzzRequest(app === 'generator' ? GENERATOR_ROUTES : PROVIDER_ROUTES),
      fc.nat(),
      (req, pick) => runCase(app, req, pick, run),
    ),
    // No shrinking: the apps keep state, so replaying smaller variants of a failing case after it
    // would be judged against a reference it already invalidated. The first failure is reported.
    { numRuns: RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
  console.log(
    `[fuzz] ${app}: ${run.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
      `${run.accepted} accepted; answers by status ${JSON.stringify(run.statuses)}`,
  );
  return run;
}

describe('API fuzzing', () => {
  it(`the generator survives ${RUNS} hostile requests: no 5xx, no change from a rejected one`, async () => {
    const run = await fuzz('generator');
    expect(run.cases).toBeGreaterThanOrEqual(RUNS);
    // The arbitraries reach past routing and validation, not just the 404 handler.
    expect(Object.keys(run.statuses).map(Number)).toEqual(expect.arrayContaining([400, 401, 404]));
  }, 600_000);

  it(`the provider survives ${RUNS} hostile requests: no 5xx, no change from a rejected one`, async () => {
    const run = await fuzz('provider');
    expect(run.cases).toBeGreaterThanOrEqual(RUNS);
    expect(Object.keys(run.statuses).map(Number)).toEqual(expect.arrayContaining([400, 401, 404]));
  }, 600_000);

  it('leaves both processes running and healthy', async () => {
    for (const app of [stack.generator, stack.provider]) {
      expect(app.child.exitCode).toBeNull();
      expect((await request(app.url, '/health/live')).status).toBe(200);
      expect((await request(app.url, '/health/ready')).status).toBe(200);
    }
  });
});
