/**
 * Volume: 1,000 claims → 1,000 distinct event ids delivered to the brands' webhooks, duplicates
 * (if any) only as repeats of the same event id.
 *
 * The dev database (FerretDB) scans a whole collection for every update, so each claim and each
 * delivery costs in proportion to the codes and deliveries already stored: 1,000 claims in one
 * database cost about four times as much per claim as 250 in each of four. The 1,000 claims are
 * therefore spread over four stacks in turn (a database, a NATS, a generator and a provider each,
 * 250 claims each), which exercises the same pipeline as often at a quarter of the scan cost.
 * Against a real MongoDB (MONGODB_URI) the cost does not grow that way. Phase timings are printed.
 */
import { startE2eStack, ADMIN_TOKEN, type E2eStack } from './support/e2e-stack';
import {
  addCodes,
  claimAll,
  claimEventIds,
  createBrand,
  pendingEvents,
  statusCounts,
  users,
} from './support/flows';
import { eventually } from './support/poll';
import { verifyWebhook, WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'whsec_volume_0123456789abcdefghijk';
const CLAIMS = 1_000;
const PARTS = 4;

let receiver: WebhookReceiver;
let stack: E2eStack | undefined;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
});

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

it(`${CLAIMS} claims → ${CLAIMS} distinct event ids delivered`, async () => {
  const perPart = CLAIMS / PARTS;
  const allExpected = new Set<string>();
  const timings: string[] = [];
  for (let part = 0; part < PARTS; part++) {
    const brandId = `volume-${part}`;
    const path = `/${brandId}`;
    stack = await startE2eStack({
      label: `volume${part}`,
      generatorEnv: { DEV_OPEN_BRAND_API: undefined, WEBHOOK_ALLOWED_CIDRS: '127.0.0.1' },
    });
    await createBrand(stack, {
      id: brandId,
      name: brandId,
      webhook: { url: receiver.url(path), secret: SECRET },
    });
    await addCodes(stack, brandId, perPart);

    const started = Date.now();
    const answers = await claimAll(stack, brandId, users(`v${part}`, perPart), 20);
    const claimed = Date.now();
    expect(statusCounts(answers)).toEqual({ 201: perPart });
    await receiver.waitUntil(
      () => receiver.eventIds(path).size === perPart,
      120_000,
      `${perPart} webhooks of ${brandId}`,
    );
    const delivered = Date.now();

    const expected = await claimEventIds(stack, brandId);
    expect(expected.size).toBe(perPart);
    expect(receiver.eventIds(path)).toEqual(expected);
    for (const id of expected) allExpected.add(id);
    for (const hook of receiver.at(path)) {
      expect(hook.json.eventId).toBe(hook.headers['x-discounts-event-id']);
      expect(verifyWebhook(SECRET, hook.headers, hook.body)).toBe(true);
    }
    expect(await pendingEvents(stack, brandId)).toBe(0);
    await eventually(async () => {
      const stats = await stack!.gen.get<{ claimedNotified: number }>(`/v1/brands/${brandId}/stats`, {
        token: ADMIN_TOKEN,
      });
      expect(stats.body.claimedNotified).toBe(perPart);
    });
    timings.push(`${perPart} claims ${claimed - started} ms, delivered ${delivered - started} ms`);
    await stack.stop();
    stack = undefined;
  }

  const receivedIds = new Set(receiver.received.map((r) => String(r.headers['x-discounts-event-id'])));
  expect(allExpected.size).toBe(CLAIMS);
  expect(receivedIds).toEqual(allExpected);
  process.stderr.write(
    `[e2e volume] ${CLAIMS} distinct events delivered (${receiver.received.length - CLAIMS} duplicate deliveries); ` +
      `per part: ${timings.join('; ')}\n`,
  );
}, 600_000);
