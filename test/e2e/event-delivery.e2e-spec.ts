/**
 * Events that must not be lost, with the parts they depend on failing: the generator down while
 * claims happen, NATS down while claims happen, a provider killed between a claim and its
 * publish, and a provider started while NATS is down. NATS is this spec's own nats-server,
 * stopped and restarted by PID on the same port and store; the apps are real processes.
 */
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import {
  claimAll,
  claimEventIds,
  pendingEvents,
  statusCounts,
  users,
  brandWithWebhook as withWebhook,
} from './support/flows';
import { eventually } from './support/poll';
import { LOCAL_RECEIVER_ENV, verifyWebhook, WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'whsec_delivery_0123456789abcdefghij';

let stack: E2eStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  stack = await startE2eStack({
    label: 'delivery',
    requirePrivateNats: true,
    generatorEnv: {
      DEV_OPEN_BRAND_API: undefined,
      ...LOCAL_RECEIVER_ENV,
      WEBHOOK_POLL_INTERVAL_MS: '200',
    },
    providerEnv: { OUTBOX_RELAY_INTERVAL_MS: '500' },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

async function brandWithWebhook(id: string, codes: number): Promise<void> {
  await withWebhook(stack, { id, url: receiver.url(`/${id}`), secret: SECRET, codes });
}

async function readiness(app: 'generator' | 'provider') {
  const client = app === 'generator' ? stack.gen : stack.prov;
  return client.get<{
    status: string;
    details?: Record<string, { status: string; message?: string; degraded?: boolean }>;
  }>('/health/ready', {
    timeoutMs: 5_000,
  });
}

/** Every webhook for the brand carries the event id of a claim, in its header and body alike, correctly signed. */
function expectWellFormed(path: string, expected: Set<string>) {
  for (const hook of receiver.at(path)) {
    const id = String(hook.headers['x-discounts-event-id']);
    expect(expected.has(id)).toBe(true);
    expect(hook.json.eventId).toBe(id);
    expect(verifyWebhook(SECRET, hook.headers, hook.body)).toBe(true);
  }
}

it('generator stopped while 200 claims happen: all 200 webhooks arrive after it restarts, none lost', async () => {
  await brandWithWebhook('gen-down', 200);
  await stack.stopApp('generator');

  const t0 = Date.now();
  const answers = await claimAll(stack, 'gen-down', users('gd', 200), 20);
  const claimsMs = Date.now() - t0;
  expect(statusCounts(answers)).toEqual({ 201: 200 });
  // The provider published every event to JetStream meanwhile: nothing waits in its outbox.
  await eventually(async () => expect(await pendingEvents(stack, 'gen-down')).toBe(0), { timeoutMs: 20_000 });
  expect(receiver.at('/gen-down')).toEqual([]);

  const t1 = Date.now();
  await stack.restart('generator');
  const restartMs = Date.now() - t1;
  const expected = await claimEventIds(stack, 'gen-down');
  expect(expected.size).toBe(200);
  await receiver.waitUntil(
    () => receiver.eventIds('/gen-down').size === 200,
    90_000,
    '200 webhooks after the restart',
  );
  expect(receiver.eventIds('/gen-down')).toEqual(expected);
  expectWellFormed('/gen-down', expected);
  // At-least-once: a repeat is allowed only as the same event (same id), never as a new one.
  const duplicates = receiver.at('/gen-down').length - 200;
  expect(duplicates).toBeGreaterThanOrEqual(0);
  process.stderr.write(
    `[e2e delivery] generator down: 200 claims in ${claimsMs} ms; generator restarted in ${restartMs} ms; ` +
      `all 200 webhooks ${Date.now() - t1 - restartMs} ms later; ${duplicates} duplicate deliveries\n`,
  );
  const stats = await stack.genAdmin.get<{ claimedNotified: number }>('/v1/brands/gen-down/stats');
  expect(stats.body.claimedNotified).toBe(200);
}, 180_000);

it('NATS down during claims: claims keep succeeding, and their events arrive once NATS is back', async () => {
  await brandWithWebhook('nats-down', 30);
  await stack.stopNats();
  // The generator cannot work without NATS; the provider can (READY_REQUIRES_NATS=false, its
  // default): it stays ready and says NATS is degraded.
  await eventually(async () => expect((await readiness('generator')).status).toBe(503), {
    timeoutMs: 10_000,
  });
  expect((await readiness('generator')).body.details?.nats?.status).toBe('down');
  await eventually(
    async () => expect((await readiness('provider')).body.details?.nats?.degraded).toBe(true),
    {
      timeoutMs: 10_000,
    },
  );
  expect((await readiness('provider')).status).toBe(200);

  const started = Date.now();
  const answers = await claimAll(stack, 'nats-down', users('nd', 30), 10);
  expect(statusCounts(answers)).toEqual({ 201: 30 });
  // Nothing waited for NATS: 30 claims in the time of 30 database writes.
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await pendingEvents(stack, 'nats-down')).toBe(30);

  await stack.startNats();
  await eventually(
    async () => expect((await readiness('provider')).body.details?.nats?.degraded).toBeUndefined(),
    {
      timeoutMs: 15_000,
    },
  );
  const expected = await claimEventIds(stack, 'nats-down');
  await receiver.waitUntil(
    () => receiver.eventIds('/nats-down').size === 30,
    60_000,
    'the 30 webhooks after the outage',
  );
  expect(receiver.eventIds('/nats-down')).toEqual(expected);
  expectWellFormed('/nats-down', expected);
  // Marked published a moment after JetStream's acknowledgement, in batches.
  await eventually(async () => expect(await pendingEvents(stack, 'nats-down')).toBe(0));
  await eventually(async () => expect((await readiness('generator')).status).toBe(200), {
    timeoutMs: 15_000,
  });
}, 120_000);

it('a provider killed between claim and publish publishes after its restart', async () => {
  await brandWithWebhook('killed', 10);
  await stack.stopNats();
  const answers = await claimAll(stack, 'killed', users('k', 10), 5);
  expect(statusCounts(answers)).toEqual({ 201: 10 });
  expect(await pendingEvents(stack, 'killed')).toBe(10);
  await stack.stopApp('provider', 'SIGKILL');

  await stack.startNats();
  await eventually(async () => expect((await readiness('generator')).status).toBe(200), {
    timeoutMs: 15_000,
  });
  // Nobody is left to publish them yet.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(receiver.at('/killed')).toEqual([]);
  expect(await pendingEvents(stack, 'killed')).toBe(10);

  await stack.restart('provider');
  const expected = await claimEventIds(stack, 'killed');
  await receiver.waitUntil(
    () => receiver.eventIds('/killed').size === 10,
    60_000,
    'the 10 webhooks after the restart',
  );
  expect(receiver.eventIds('/killed')).toEqual(expected);
  await eventually(async () => expect(await pendingEvents(stack, 'killed')).toBe(0));
}, 120_000);

it('a provider started while NATS is down serves claims, says NATS is down, and catches up when it comes', async () => {
  await brandWithWebhook('late-nats', 5);
  await stack.stopNats();
  const provider = await stack.restart('provider', { waitReady: false });
  await eventually(async () => expect((await stack.prov.get('/health/live')).status).toBe(200), {
    timeoutMs: 30_000,
  });
  const ready = await readiness('provider');
  expect(ready.status).toBe(200);
  expect(ready.body.details?.nats).toEqual({
    status: 'up',
    degraded: true,
    message: 'not connected yet (retrying)',
  });
  expect(ready.body.details?.jetstream).toEqual({
    status: 'up',
    degraded: true,
    message: 'NATS not connected',
  });
  expect(ready.body.details?.mongodb?.status).toBe('up');

  const answers = await claimAll(stack, 'late-nats', users('ln', 5), 5);
  expect(statusCounts(answers)).toEqual({ 201: 5 });

  await stack.startNats();
  await eventually(
    async () => expect((await readiness('provider')).body.details?.nats?.degraded).toBeUndefined(),
    {
      timeoutMs: 15_000,
    },
  );
  await receiver.waitUntil(() => receiver.eventIds('/late-nats').size === 5, 60_000, 'the 5 webhooks');
  expect(receiver.eventIds('/late-nats')).toEqual(await claimEventIds(stack, 'late-nats'));
  expect(provider.child.exitCode).toBeNull();
}, 120_000);
