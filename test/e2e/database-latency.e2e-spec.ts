/**
 * Readiness under a slow and under a missing database. The provider reaches the test MongoDB
 * through a TcpFaultProxy. A database that answers slowly (2.5 s for everything, longer than the
 * old 1.5 s ping budget) must not take the pod out of its Service: every replica would leave at
 * once although each could still answer. A database that is gone does take it out, and its
 * return brings it back without a restart.
 */
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { addCodes, claim, createBrand } from './support/flows';
import { eventually } from './support/poll';
import { TcpFaultProxy } from './support/tcp-fault-proxy';

const DELAY_MS = 2_500;
/** The chart's readiness probe timeout: an answer later than this counts as a failed probe. */
const PROBE_TIMEOUT_MS = 3_000;
/** More than the driver's heartbeat interval (10 s): the slow database has been looked at. */
const SLOW_WINDOW_MS = 15_000;

let stack: E2eStack;
let proxy: TcpFaultProxy;

beforeAll(async () => {
  stack = await startE2eStack({ label: 'db-latency' });
  const direct = new URL(stack.mongodbUri);
  proxy = new TcpFaultProxy({ host: direct.hostname, port: Number(direct.port) });
  const at = await proxy.start();
  const proxied = new URL(stack.mongodbUri);
  proxied.host = `${at.host}:${at.port}`;
  await stack.restart('provider', { env: { MONGODB_URI: proxied.toString() } });
  await createBrand(stack, { id: 'slow', name: 'Slow' });
  await addCodes(stack, 'slow', 10);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
}, 60_000);

afterEach(() => proxy.restore());

async function readiness() {
  const started = performance.now();
  const res = await stack.prov.get<{ details?: Record<string, { status: string; message?: string }> }>(
    '/health/ready',
    { timeoutMs: 10_000 },
  );
  return { status: res.status, mongodb: res.body.details?.mongodb, ms: performance.now() - started };
}

it('a slow database: the provider stays ready, and its probe answers within the probe timeout', async () => {
  proxy.delayMs = DELAY_MS;
  // The delay is real for the provider: a claim (which reads and writes the database) takes at
  // least as long, and still gets its code.
  const started = performance.now();
  expect((await claim(stack, 'slow', 'patient-user', 60_000)).status).toBe(201);
  expect(performance.now() - started).toBeGreaterThanOrEqual(DELAY_MS);

  const answers: Array<{ status: number; ms: number }> = [];
  const until = Date.now() + SLOW_WINDOW_MS;
  while (Date.now() < until) {
    const { status, ms } = await readiness();
    answers.push({ status, ms: Math.round(ms) });
  }
  expect(answers.length).toBeGreaterThan(5);
  expect(answers.filter((a) => a.status !== 200 || a.ms >= PROBE_TIMEOUT_MS)).toEqual([]);
}, 90_000);

it('a database that is gone: not ready, saying why; back again: ready, without a restart', async () => {
  const pid = stack.provider.pid;
  proxy.cut();
  const down = await eventually(
    async () => {
      const answer = await readiness();
      expect(answer.status).toBe(503);
      return answer;
    },
    { timeoutMs: 45_000, intervalMs: 500 },
  );
  expect(down.mongodb?.status).toBe('down');

  proxy.restore();
  await eventually(async () => expect((await readiness()).status).toBe(200), {
    timeoutMs: 45_000,
    intervalMs: 500,
  });
  expect(stack.provider.pid).toBe(pid);
}, 120_000);
