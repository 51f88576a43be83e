/**
 * A full event stream loses nothing. The stream refuses new events when it reaches its byte
 * limit (discard: new) instead of dropping old ones that may not be delivered yet; claims keep
 * succeeding, their events wait in the provider's outbox, and once the operator follows the
 * runbook (a larger EVENTS_STREAM_MAX_BYTES, both apps restarted) every event reaches its webhook.
 */
import { connect } from 'nats';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import {
  claimAll,
  claimEventIds,
  pendingEvents,
  statusCounts,
  users,
  brandWithWebhook,
} from './support/flows';
import { request } from './support/http';
import { eventually } from './support/poll';
import { LOCAL_RECEIVER_ENV, WebhookReceiver } from './support/webhook-receiver';
import { sumOf } from '../support/prometheus-text';

const SECRET = 'whsec_stream_full_0123456789abcdefghij';
/** The smallest limit the apps accept, so a few filler messages fill it. */
const SMALL_STREAM = { EVENTS_STREAM_MAX_BYTES: String(1 << 20) };
const CLAIMS = 40;

let stack: E2eStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  stack = await startE2eStack({
    label: 'streamfull',
    requirePrivateNats: true,
    generatorEnv: {
      DEV_OPEN_BRAND_API: undefined,
      ...LOCAL_RECEIVER_ENV,
      ...SMALL_STREAM,
      WEBHOOK_POLL_INTERVAL_MS: '200',
    },
    providerEnv: { ...SMALL_STREAM, OUTBOX_RELAY_INTERVAL_MS: '300' },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

async function providerMetric(name: string, labels: Record<string, string>): Promise<number> {
  const res = await request(stack.provider.url, '/metrics', { headers: { accept: 'text/plain' } });
  return sumOf(res.text, name, labels);
}

/** Publishes of claim events JetStream refused, from the provider's own counter. */
const refusedClaimEvents = () =>
  providerMetric('discounts_nats_messages_total', {
    direction: 'published',
    subject: 'discounts.events.v1.code.claimed',
    outcome: 'failed',
  });

it('refuses events when full, keeps claiming, and delivers every event once there is room', async () => {
  await brandWithWebhook(stack, { id: 'full', url: receiver.url('/full'), secret: SECRET, codes: CLAIMS });
  await stack.stopApp('generator');

  // Fill the stream with messages on a subject of it that no consumer reads, until it says no,
  // then with smaller ones, so that not even a small event fits.
  const nc = await connect({ servers: stack.natsUrl });
  const refusals = new Set<string>();
  try {
    const js = nc.jetstream();
    for (const size of [32 * 1024, 1024, 32]) {
      // Bounded: a stream that dropped old messages instead would never refuse.
      for (let refused = false, sent = 0; !refused && sent < 200; sent++) {
        await js
          .publish('discounts.events.test.filler', new Uint8Array(size))
          .catch((error: { api_error?: { description?: string } }) => {
            refusals.add(error.api_error?.description ?? 'refused without a reason');
            refused = true;
          });
      }
    }
  } finally {
    await nc.close();
  }
  expect([...refusals]).toEqual(['maximum bytes exceeded']);
  // The provider reports the fill, with the generator down, where the alert can see it.
  await eventually(
    async () =>
      expect(
        await providerMetric('discounts_nats_stream_fill_ratio', {
          stream: 'DISCOUNTS_EVENTS',
          limit: 'bytes',
        }),
      ).toBeGreaterThan(0.95),
    { timeoutMs: 20_000 },
  );

  const answers = await claimAll(stack, 'full', users('sf', CLAIMS), 10);
  expect(statusCounts(answers)).toEqual({ 201: CLAIMS });
  // The relay tried each event and JetStream refused it: they all wait in the outbox.
  await eventually(async () => expect(await refusedClaimEvents()).toBeGreaterThanOrEqual(CLAIMS), {
    timeoutMs: 30_000,
  });
  expect(await pendingEvents(stack, 'full')).toBe(CLAIMS);
  // The relay's scan says why, in words an operator can act on.
  await eventually(
    () =>
      Promise.resolve(
        expect(stack.provider.logs()).toContain('(JetStream refused the event: maximum bytes exceeded)'),
      ),
    { timeoutMs: 30_000 },
  );

  // The runbook: a larger limit for both apps, which update the stream as they start.
  const larger = { EVENTS_STREAM_MAX_BYTES: String(64 << 20) };
  await stack.restart('provider', { env: larger });
  await stack.restart('generator', { env: larger });
  const expected = await claimEventIds(stack, 'full');
  expect(expected.size).toBe(CLAIMS);
  await receiver.waitUntil(
    () => receiver.eventIds('/full').size === CLAIMS,
    90_000,
    `${CLAIMS} webhooks after the limit was raised`,
  );
  expect(receiver.eventIds('/full')).toEqual(expected);
  await eventually(async () => expect(await pendingEvents(stack, 'full')).toBe(0), { timeoutMs: 20_000 });
}, 240_000);
