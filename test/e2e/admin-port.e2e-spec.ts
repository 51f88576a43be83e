/**
 * The admin port (ADMIN_PORT), on the real apps over real sockets: each app's admin token acts
 * only on requests that came in on its admin port and only for that app; on the public port it is
 * a 403 admin_port_only that creates nothing and does not count as a guess towards the lockout;
 * brand keys and user JWTs work on both ports (one app, two listeners); the admin listener has the
 * API port's timeouts and error answers. Without ADMIN_PORT the admin token works on the API port.
 */
import { connect } from 'node:net';
import {
  GENERATOR_ADMIN_TOKEN,
  PROVIDER_ADMIN_TOKEN,
  startE2eStack,
  type E2eStack,
} from './support/e2e-stack';
import { addCodes, createBrand } from './support/flows';
import { client, from, type ApiError, type CreatedBrand, type CreatedUser } from './support/http';

// A tight lockout, so that counting the admin token on the public port as a guess would show.
const ENV = {
  LOG_LEVEL: 'info',
  TRUST_PROXY: 'loopback',
  AUTH_FAILURES_PER_IP: '5/15m',
  HTTP_HEADERS_TIMEOUT_MS: '1000',
};

let stack: E2eStack;
let acme: CreatedBrand;

beforeAll(async () => {
  stack = await startE2eStack({
    label: 'adminport',
    generatorEnv: { ...ENV, DEV_OPEN_BRAND_API: undefined },
    providerEnv: ENV,
  });
  acme = await createBrand(stack, { id: 'acme', name: 'Acme' });
  await addCodes(stack, 'acme', 5);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const brandsNamed = async (id: string) =>
  (await stack.db()).collection('brands').countDocuments({ _id: id as never });
const usersNamed = async (id: string) =>
  (await stack.db()).collection('users').countDocuments({ _id: id as never });

function expectWrongDoor(res: { status: number; body: ApiError }) {
  expect({ status: res.status, error: res.body.error }).toEqual({ status: 403, error: 'admin_port_only' });
  expect(res.body.message).toMatch(/admin requests go to the admin port/);
}

describe('the generator', () => {
  it('refuses its admin token on the public port with 403 admin_port_only, creating nothing', async () => {
    const res = await stack.gen.post<ApiError>(
      '/v1/brands',
      { id: 'wrong-door', name: 'x' },
      { token: GENERATOR_ADMIN_TOKEN },
    );
    expectWrongDoor(res);
    expect(await brandsNamed('wrong-door')).toBe(0);
  });

  it('takes its admin token on the admin port', async () => {
    const res = await stack.genAdmin.post<CreatedBrand>('/v1/brands', { id: 'right-door', name: 'x' });
    expect(res.status).toBe(201);
    expect(await brandsNamed('right-door')).toBe(1);
  });

  it('refuses the admin token on brand routes of the public port too', async () => {
    expectWrongDoor(await stack.gen.get<ApiError>('/v1/brands/acme/stats', { token: GENERATOR_ADMIN_TOKEN }));
    expect((await stack.genAdmin.get('/v1/brands/acme/stats')).status).toBe(200);
  });

  it('refuses the provider’s admin token, even on its admin port (401)', async () => {
    const res = await stack.genAdmin.post<ApiError>(
      '/v1/brands',
      { id: 'leaked', name: 'x' },
      { token: PROVIDER_ADMIN_TOKEN },
    );
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'unauthorized' });
    expect(await brandsNamed('leaked')).toBe(0);
  });

  it('takes a brand’s API key on both ports: one app behind two listeners', async () => {
    const token = acme.apiKey;
    expect((await stack.gen.get('/v1/brands/acme/stats', { token })).status).toBe(200);
    expect((await stack.genAdmin.get('/v1/brands/acme/stats', { token })).status).toBe(200);
    expect((await stack.gen.post('/v1/brands/acme/codes', { count: 2 }, { token })).status).toBe(201);
  });
});

describe('the provider', () => {
  it('refuses its admin token on the public port (403) and takes it on the admin port (201)', async () => {
    expectWrongDoor(
      await stack.prov.post<ApiError>('/v1/users', { userId: 'front-door' }, { token: PROVIDER_ADMIN_TOKEN }),
    );
    expect(await usersNamed('front-door')).toBe(0);
    const res = await stack.provAdmin.post<CreatedUser>('/v1/users', { userId: 'back-door' });
    expect(res.status).toBe(201);
    expect(await usersNamed('back-door')).toBe(1);
  });

  it('refuses the generator’s admin token on its admin port (401)', async () => {
    const res = await stack.provAdmin.post<ApiError>(
      '/v1/users',
      { userId: 'cross' },
      { token: GENERATOR_ADMIN_TOKEN },
    );
    expect(res.status).toBe(401);
    expect(await usersNamed('cross')).toBe(0);
  });
});

describe('the lockout (AUTH_FAILURES_PER_IP=5/15m)', () => {
  it('does not count the admin token on the public port: a right credential at the wrong door', async () => {
    const ip = from('203.0.113.51');
    for (let i = 0; i < 30; i++) {
      const res = await stack.gen.post<ApiError>(
        '/v1/brands',
        { id: `door-${i}`, name: 'x' },
        { token: GENERATOR_ADMIN_TOKEN, headers: ip },
      );
      expect(res.status).toBe(403);
    }
    const after = await stack.gen.get('/v1/brands/acme/stats', { token: acme.apiKey, headers: ip });
    expect(after.status).toBe(200);
  });

  it('still counts wrong tokens on either port', async () => {
    const ip = from('203.0.113.52');
    for (const app of [stack.gen, stack.genAdmin, stack.gen, stack.genAdmin, stack.gen]) {
      const res = await app.post(
        '/v1/brands',
        { id: 'guess', name: 'x' },
        { token: 'guess-0123456789abcdef', headers: ip },
      );
      expect(res.status).toBe(401);
    }
    const locked = await stack.genAdmin.post<ApiError>(
      '/v1/brands',
      { id: 'guess', name: 'x' },
      { headers: ip },
    );
    expect(locked.status).toBe(429);
  });
});

describe('the admin listener', () => {
  it('logs its port at start-up, without the token', () => {
    const port = new URL(stack.generator.adminUrl!).port;
    const logs = stack.generator.logs();
    expect(logs).toContain(`admin port on http://127.0.0.1:${port}`);
    expect(logs).not.toContain(GENERATOR_ADMIN_TOKEN);
  });

  it('has the API port’s error answers and timeouts (a slow client gets 408)', async () => {
    const missing = await stack.genAdmin.get<ApiError>('/v1/nothing-here');
    expect({ status: missing.status, error: missing.body.error }).toEqual({
      status: 404,
      error: 'not_found',
    });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(stack.generator.adminUrl!).port), '127.0.0.1');
      let text = '';
      const timer = setTimeout(() => reject(new Error(`no answer: ${text}`)), 10_000);
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
      // Headers never finished: HTTP_HEADERS_TIMEOUT_MS (1 s) applies on this listener too.
      socket.write('GET /v1/brands HTTP/1.1\r\nHost: x\r\n');
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('is absent without ADMIN_PORT: the admin token then works on the API port', async () => {
    const plain = await stack.startExtra('generator', { ADMIN_PORT: undefined });
    expect(plain.adminUrl).toBeNull();
    const res = await client(plain.url).post(
      '/v1/brands',
      { id: 'no-admin-port', name: 'x' },
      { token: GENERATOR_ADMIN_TOKEN },
    );
    expect(res.status).toBe(201);
  }, 60_000);
});
