/**
 * Volume: 1,000 claims → 1,000 distinct event ids delivered to the brand webhooks, through one
 * pipeline (one provider, one NATS stream and durable consumer, one generator), duplicates (if
 * any) only as repeats of the same event id.
 *
 * The dev database (FerretDB) scans a whole collection for every update, so each claim and each
 * delivery costs in proportion to the codes and deliveries already stored, and 1,000 in one go
 * cost four times as much per claim as 250. So the claims come in waves of one brand each, and
 * once a wave is verified (every webhook received, every claim counted) the test archives it:
 * deletes that brand's codes, deliveries and attempts, which nothing needs any more. Against a
 * real MongoDB (MONGODB_URI) the cost does not grow that way. Timings are printed.
 */
import { startE2eStack, type E2eStack } from './support/e2e-stack';
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
import { LOCAL_RECEIVER_ENV, verifyWebhook, WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'whsec_volume_0123456789abcdefghijk';
const CLAIMS = 1_000;
const WAVES = 8;

let stack: E2eStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  stack = await startE2eStack({
    label: 'volume',
    generatorEnv: { DEV_OPEN_BRAND_API: undefined, ...LOCAL_RECEIVER_ENV },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
}, 60_000);

/** Removes a verified wave's data, so the next wave's claims scan as few documents as the first's. */
async function archive(brandId: string): Promise<void> {
  const db = await stack.db();
  await db.collection('codes').deleteMany({ brandId });
  await db.collection('webhook_deliveries').deleteMany({ brandId });
  await db.collection('webhook_attempts').deleteMany({ brandId });
}

it(`${CLAIMS} claims → ${CLAIMS} distinct event ids delivered`, async () => {
  const perWave = CLAIMS / WAVES;
  const allExpected = new Set<string>();
  const started = Date.now();
  let claimingMs = 0;
  for (let wave = 0; wave < WAVES; wave++) {
    const brandId = `volume-${wave}`;
    const path = `/${brandId}`;
    await createBrand(stack, {
      id: brandId,
      name: brandId,
      webhook: { url: receiver.url(path), secret: SECRET },
    });
    await addCodes(stack, brandId, perWave);

    const claimStart = Date.now();
    const answers = await claimAll(stack, brandId, users(`v${wave}`, perWave), 20);
    claimingMs += Date.now() - claimStart;
    expect(statusCounts(answers)).toEqual({ 201: perWave });
    await receiver.waitUntil(
      () => receiver.eventIds(path).size === perWave,
      120_000,
      `${perWave} webhooks of ${brandId}`,
    );

    const expected = await claimEventIds(stack, brandId);
    expect(expected.size).toBe(perWave);
    expect(receiver.eventIds(path)).toEqual(expected);
    for (const id of expected) allExpected.add(id);
    for (const hook of receiver.at(path)) {
      expect(hook.json.eventId).toBe(hook.headers['x-discounts-event-id']);
      expect(verifyWebhook(SECRET, hook.headers, hook.body)).toBe(true);
    }
    // The provider marks claims published in batches, a moment after JetStream's acknowledgement
    // (on a busy machine, or after a failed mark, at its next outbox scan).
    await eventually(async () => expect(await pendingEvents(stack, brandId)).toBe(0), { timeoutMs: 60_000 });
    await eventually(
      async () => {
        const stats = await stack.genAdmin.get<{ claimedNotified: number }>(`/v1/brands/${brandId}/stats`);
        expect(stats.body.claimedNotified).toBe(perWave);
      },
      { timeoutMs: 60_000 },
    );
    await archive(brandId);
  }

  const receivedIds = new Set(receiver.received.map((r) => String(r.headers['x-discounts-event-id'])));
  expect(allExpected.size).toBe(CLAIMS);
  expect(receivedIds).toEqual(allExpected);
  process.stderr.write(
    `[e2e volume] ${CLAIMS} claims (${WAVES} waves of ${perWave}) in ${claimingMs} ms of claiming; all ${CLAIMS} ` +
      `distinct events delivered and verified in ${Date.now() - started} ms; ` +
      `${receiver.received.length - CLAIMS} duplicate deliveries\n`,
  );
}, 600_000);
