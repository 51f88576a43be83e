/**
 * Load shedding (LOAD_SHED_*, libs/http load-shedding.ts) in the real apps, over real sockets, with
 * real conditions: a heap threshold of one byte (every process is past it), a request whose client
 * holds it open (the in-flight cap), the provider frozen by SIGSTOP (its event loop stalls, as on a
 * starved node). Refusals are 503 with Retry-After in the route's error shape, on both ports;
 * probes and scrapes are never refused; readiness reports the pressure and fails only when told
 * to; the metric counts each refusal; the process recovers by itself.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sumOf } from '../support/prometheus-text';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, claim, createBrand } from './support/flows';
import {
  request,
  type ApiError,
  type BrandStats,
  type CreatedUser,
  type LegacyEnvelope,
} from './support/http';
import { userToken } from './support/jwt';
import { eventually } from './support/poll';

interface LoadDetails {
  status: 'up' | 'down';
  shedding: boolean;
  reason?: string;
  inFlight: number;
  degraded?: boolean;
  message?: string;
}

interface Readiness {
  status: string;
  details?: { load?: LoadDetails };
}

const BRAND = 'shed';
/**
 * Event-loop delay off: startApp() (test/support/stack.ts, which stack.restart goes through) sets
 * it so already; said here too, because the exact per-reason counts below need it. Left at its
 * default of 200 ms, a second in which this shared machine starves the process would refuse a
 * request as event_loop_delay (that check comes before heap and in-flight) instead.
 */
const NO_DELAY_THRESHOLD = { LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: 'off' } as const;
const CLAIMS = `/v1/brands/${BRAND}/claims`;

let stack: E2eStack;
let user: CreatedUser;

beforeAll(async () => {
  stack = await startE2eStack({ label: 'load-shedding' });
  await createBrand(stack, { id: BRAND, name: 'Shed' });
  await addCodes(stack, BRAND, 20);
  const created = await stack.provAdmin.post<CreatedUser>('/v1/users', { userId: 'legacy-shed' });
  expect(created.status).toBe(201);
  user = created.body;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const legacyPath = () => `/discounts/api/v1.0/get_code/${user.userId}/${user.secret}/${BRAND}`;

async function readiness(baseUrl = stack.provider.url) {
  const res = await request<Readiness>(baseUrl, '/health/ready');
  return { status: res.status, load: res.body.details?.load };
}

/** Readiness's load report, whatever its status (503 too); undefined when no answer came. */
async function loadSeen(): Promise<LoadDetails | undefined> {
  try {
    return (await readiness()).load;
  } catch {
    return undefined;
  }
}

/**
 * Sends a readiness probe every 50 ms, without waiting for the previous ones (a slow answer does
 * not leave a gap), until one's load report passes `seen` (true) or timeoutMs passed (false).
 */
async function probeUntil(seen: (load: LoadDetails | undefined) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let found = false;
  const probes: Promise<void>[] = [];
  while (!found && Date.now() < deadline) {
    probes.push(loadSeen().then((load) => void (found ||= seen(load))));
    await sleep(50);
  }
  await Promise.all(probes);
  return found;
}

async function shedCount(baseUrl: string, reason: string): Promise<number> {
  const res = await request(baseUrl, '/metrics');
  expect(res.status).toBe(200);
  return sumOf(res.text, 'discounts_http_requests_shed_total', { reason });
}

function expectV1Refusal(res: { status: number; headers: Headers; body: unknown }, retryAfter: number) {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe(String(retryAfter));
  expect(res.body).toEqual({
    statusCode: 503,
    error: 'service_unavailable',
    message: `The service is overloaded; retry in ${retryAfter} s`,
    details: { retryAfterSeconds: retryAfter },
  });
}

function expectLegacyRefusal(res: { status: number; headers: Headers; body: unknown }, retryAfter: number) {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe(String(retryAfter));
  expect(res.body).toEqual({
    code: '503',
    data: '',
    message: `The service is overloaded; retry in ${retryAfter} s`,
    status: 'error',
  } satisfies LegacyEnvelope);
}

/**
 * A claim whose headers are sent and whose body is not: the provider has it in flight until
 * finish() sends the body; resolves the status line's code once the answer is in.
 */
function holdClaim(port: number, token: string) {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (answer += chunk));
  const closed = new Promise<void>((resolve, reject) => {
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  socket.write(
    `POST ${CLAIMS} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n',
  );
  return {
    async finish(): Promise<number> {
      socket.write('{}');
      await closed;
      return Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]);
    },
  };
}

it('past a threshold (heap above 1 byte): 503 + Retry-After in the v1 body and the envelope, on both ports; probes and scrapes answer; nothing was claimed', async () => {
  await stack.restart('provider', {
    env: { ...NO_DELAY_THRESHOLD, LOAD_SHED_MAX_HEAP_BYTES: '1', LOAD_SHED_RETRY_AFTER_SECONDS: '7' },
  });
  // The first sample is taken a second after start-up; readiness reports it, and stays up.
  await eventually(async () =>
    expect(await readiness()).toMatchObject({
      status: 200,
      load: { status: 'up', shedding: true, reason: 'heap', degraded: true },
    }),
  );

  const v1 = await stack.prov.post<ApiError>(CLAIMS, undefined, { token: await userToken('shed-v1') });
  expectV1Refusal(v1, 7);
  // The house headers come with a refusal too.
  expect(v1.headers.get('x-content-type-options')).toBe('nosniff');
  expect(v1.headers.get('x-request-id')).toMatch(/\S/);
  expectLegacyRefusal(await stack.prov.get(legacyPath()), 7);
  // The admin port is the same app: refused as well.
  expectV1Refusal(await stack.provAdmin.post('/v1/users', { userId: 'shed-admin' }), 7);

  for (const path of ['/health/live', '/health/startup', '/health/ready', '/metrics']) {
    expect({ path, status: (await stack.prov.get(path)).status }).toEqual({ path, status: 200 });
  }
  expect(await shedCount(stack.provider.url, 'heap')).toBe(3);
  expect(await shedCount(stack.provider.url, 'in_flight')).toBe(0);
  // Refused before any work: the legacy caller's right secret claimed nothing.
  const stats = await stack.genAdmin.get<BrandStats>(`/v1/brands/${BRAND}/stats`);
  expect(stats.body).toMatchObject({ total: 20, claimed: 0 });
}, 90_000);

it('LOAD_SHED_FAILS_READINESS=true: readiness fails while shedding, saying why; liveness does not', async () => {
  await stack.restart('provider', {
    env: { ...NO_DELAY_THRESHOLD, LOAD_SHED_MAX_HEAP_BYTES: '1', LOAD_SHED_FAILS_READINESS: 'true' },
    waitReady: false,
  });
  await eventually(
    async () =>
      expect(await readiness()).toMatchObject({
        status: 503,
        load: { status: 'down', shedding: true, reason: 'heap', message: 'shedding load (heap)' },
      }),
    { timeoutMs: 30_000 },
  );
  expect((await stack.prov.get('/health/live')).status).toBe(200);
}, 90_000);

it('LOAD_SHED_MAX_IN_FLIGHT=1: with one request in flight the next is refused; once it is answered, claims pass again', async () => {
  await stack.restart('provider', { env: { ...NO_DELAY_THRESHOLD, LOAD_SHED_MAX_IN_FLIGHT: '1' } });
  const pid = stack.provider.pid;
  const held = holdClaim(stack.provider.port, await userToken('held-user'));
  await eventually(async () =>
    expect((await readiness()).load).toMatchObject({ shedding: true, reason: 'in_flight', inFlight: 1 }),
  );

  expectV1Refusal(await stack.prov.post(CLAIMS, undefined, { token: await userToken('second-user') }), 5);
  expectLegacyRefusal(await stack.prov.get(legacyPath()), 5);
  expect(await shedCount(stack.provider.url, 'in_flight')).toBe(2);

  expect(await held.finish()).toBe(201);
  await eventually(async () =>
    expect((await readiness()).load).toMatchObject({ shedding: false, inFlight: 0 }),
  );
  expect((await claim(stack, BRAND, 'second-user')).status).toBe(201);
  expect((await stack.prov.get<LegacyEnvelope>(legacyPath())).body.status).toBe('success');
  expect(stack.provider.pid).toBe(pid);
}, 90_000);

it('a stalled event loop (SIGSTOP for 4 s, threshold 20 ms): readiness reports it, then recovers by itself', async () => {
  await stack.restart('provider', { env: { LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '20' } });
  const pid = stack.provider.pid;
  const stalled = (load: LoadDetails | undefined) =>
    load?.shedding === true && load.reason === 'event_loop_delay';
  // Node's delay monitor misses a single stall now and then (1 in 200 measured here): when
  // under-pressure's once-a-second sample runs before the monitor's own late tick, the sample's
  // reset drops that tick. A stall unseen three times over is not that.
  let sawStall = false;
  for (let stall = 0; stall < 3 && !sawStall; stall++) {
    process.kill(pid, 'SIGSTOP');
    try {
      // The stall itself, not a wait for the app: nothing in it runs meanwhile.
      await sleep(4_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // The monitor's late tick puts the mean delay of the second after it far above 20 ms; probes
    // overlapping every 50 ms catch that second. A probe answered 503 counts too.
    sawStall = await probeUntil(stalled, 5_000);
  }
  expect(sawStall).toBe(true);
  // Recovers by itself: the same process stops shedding (a starved second on this shared machine
  // may shed again meanwhile at 20 ms, hence the retries).
  await eventually(async () => expect(await loadSeen()).toMatchObject({ shedding: false }), {
    timeoutMs: 30_000,
  });
  expect(stack.provider.pid).toBe(pid);
  // Claims pass again, asserted at the default (off in tests) threshold: at 20 ms a busy moment
  // of this machine could refuse this one claim.
  await stack.restart('provider', { env: NO_DELAY_THRESHOLD });
  expect((await claim(stack, BRAND, 'after-stall')).status).toBe(201);
}, 120_000);

it("the generator sheds the same way: v1 body on its API, the envelope on the predecessor's generate route", async () => {
  await stack.restart('generator', { env: { ...NO_DELAY_THRESHOLD, LOAD_SHED_MAX_HEAP_BYTES: '1' } });
  await eventually(async () =>
    expect((await readiness(stack.generator.url)).load).toMatchObject({ shedding: true, reason: 'heap' }),
  );
  expectV1Refusal(await stack.genAdmin.post('/v1/brands', { id: 'refused', name: 'Refused' }), 5);
  expectLegacyRefusal(
    await stack.gen.post('/discounts/api/v1.0/generate', { brand_id: 1, number_of_codes: 1 }),
    5,
  );
  expect(await shedCount(stack.generator.url, 'heap')).toBe(2);
}, 90_000);
