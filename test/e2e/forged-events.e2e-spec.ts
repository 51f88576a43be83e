/**
 * Claim events published on NATS by anyone but a real claim: the generator checks each one
 * against MongoDB (that code, claimed by that user, under that event id) before it signs a
 * webhook, so a forged event never reaches a brand.
 */
import { randomUUID } from 'node:crypto';
import { connect, JSONCodec } from 'nats';
import { SUBJECTS } from '@app/contracts';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { brandWithWebhook, claim } from './support/flows';
import { LOCAL_RECEIVER_ENV, WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'whsec_forged_events_0123456789abcdefgh';

let stack: E2eStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  stack = await startE2eStack({
    label: 'forged',
    generatorEnv: { DEV_OPEN_BRAND_API: undefined, ...LOCAL_RECEIVER_ENV, LOG_LEVEL: 'warn' },
  });
  await brandWithWebhook(stack, { id: 'forged', url: receiver.url('/forged'), secret: SECRET, codes: 3 });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

it('signs no webhook for events that do not match a stored claim, and still delivers the real ones', async () => {
  const first = await claim(stack, 'forged', 'alice');
  expect(first.status).toBe(201);
  await receiver.waitUntil(() => receiver.at('/forged').length === 1, 30_000, "alice's webhook");
  const codes = await stack
    .db()
    .then((db) =>
      db.collection<{ code: string; status: string }>('codes').find({ brandId: 'forged' }).toArray(),
    );
  const available = codes.find((c) => c.status === 'available')!.code;

  const event = (code: string, userId: string, eventId = randomUUID()) => ({
    eventId,
    type: 'code.claimed',
    version: 1,
    brandId: 'forged',
    code,
    userId,
    claimedAt: new Date().toISOString(),
  });
  const forged = [
    // A code nobody claimed.
    event(available, 'mallory'),
    // Alice's code, claimed by someone else according to the event.
    event(first.body.code, 'mallory'),
    // Alice's code and user, under an event id the claim never had.
    event(first.body.code, 'alice'),
  ];
  const nc = await connect({ servers: stack.natsUrl });
  try {
    const js = nc.jetstream();
    for (const payload of forged) {
      await js.publish(SUBJECTS.codeClaimed, JSONCodec().encode(payload), { msgID: payload.eventId });
    }
  } finally {
    await nc.close();
  }

  // A real claim after them: the consumer reads the stream in order, so once its webhook is here
  // the forged events have been judged.
  expect((await claim(stack, 'forged', 'bob')).status).toBe(201);
  await receiver.waitUntil(() => receiver.at('/forged').length >= 2, 30_000, "bob's webhook");
  const delivered = [...receiver.eventIds('/forged')];
  expect(delivered).toHaveLength(2);
  for (const payload of forged) expect(delivered).not.toContain(payload.eventId);
  const dropped = stack.generator.logs().match(/does not match a stored claim: dropped/g) ?? [];
  expect(dropped).toHaveLength(forged.length);
}, 120_000);
