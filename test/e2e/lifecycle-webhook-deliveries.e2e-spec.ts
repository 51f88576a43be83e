/**
 * Lifecycle webhooks delivered, end to end, to the brands that chose them: a job's end once per
 * job however many generator replicas work it, redemptions and rollbacks once each through the
 * codes' lifecycle outbox, pool.low once per event. Real processes, real NATS, a real HTTP
 * receiver that checks every signature. Choosing the events and the test route:
 * lifecycle-webhook-settings.e2e-spec.ts.
 */
import {
  codeRedeemedWebhookV1Schema,
  codeRedemptionRolledBackWebhookV1Schema,
  jobCompletedWebhookV1Schema,
  poolLowWebhookV1Schema,
} from '@app/contracts';
import type { E2eStack } from './support/e2e-stack';
import { addCodes, claim } from './support/flows';
import { CHUNK, INLINE_MAX, LifecycleWebhookStack, WAIT_MS } from './support/lifecycle-webhooks';
import { eventually } from './support/poll';
import type { WebhookReceiver } from './support/webhook-receiver';

const lifecycle = new LifecycleWebhookStack();
const {
  brandWithWebhook,
  claimRedeemRollback,
  codeEventsRelayed,
  completedJob,
  deliveryTypes,
  jobEndRelayed,
  received,
} = lifecycle;
let stack: E2eStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  ({ stack, receiver } = await lifecycle.start('lifecycle-webhook-deliveries'));
}, 120_000);

afterAll(async () => {
  await lifecycle.stop();
}, 60_000);

describe('job.completed', () => {
  it('reaches a brand that chose it exactly once per job, with two generator replicas working the job', async () => {
    await brandWithWebhook('jobs', ['job.completed']);
    await stack.startExtra('generator');
    const job = await completedJob('jobs', CHUNK * 6);
    await jobEndRelayed(job.jobId);
    await receiver.waitUntil(() => received('jobs', 'job.completed').length >= 1, WAIT_MS, 'job.completed');

    const [webhook, ...more] = received('jobs', 'job.completed');
    expect(more).toHaveLength(0);
    const body = jobCompletedWebhookV1Schema.parse(webhook!.json);
    expect(body).toMatchObject({
      type: 'job.completed',
      version: 1,
      brandId: 'jobs',
      campaignId: 'default',
      jobId: job.jobId,
      requested: CHUNK * 6,
      generated: CHUNK * 6,
    });
    expect(await deliveryTypes('jobs')).toEqual(['job.completed']);
    // A second job: a second event, with an id of its own.
    const second = await completedJob('jobs', INLINE_MAX + 1);
    await jobEndRelayed(second.jobId);
    await receiver.waitUntil(() => received('jobs', 'job.completed').length >= 2, WAIT_MS, 'the second job');
    expect(new Set(received('jobs').map((w) => w.json.jobId))).toEqual(new Set([job.jobId, second.jobId]));
    expect(received('jobs')).toHaveLength(2);
  });
});

describe('code.redeemed and code.redemption_rolled_back', () => {
  it('arrive once each per redemption and rollback, from the outbox written with the change', async () => {
    const brand = await brandWithWebhook('redeemer', ['code.redeemed', 'code.redemption_rolled_back']);
    await addCodes(stack, 'redeemer', 5);
    const first = await claimRedeemRollback(brand, 'alice', 'order-1');
    await codeEventsRelayed('redeemer');
    await receiver.waitUntil(() => received('redeemer').length >= 2, WAIT_MS, 'the redemption and rollback');

    const redeemed = received('redeemer', 'code.redeemed');
    const rolledBack = received('redeemer', 'code.redemption_rolled_back');
    expect(redeemed).toHaveLength(1);
    expect(rolledBack).toHaveLength(1);
    const common = {
      version: 1,
      brandId: 'redeemer',
      campaignId: 'default',
      code: first.code,
      userId: 'alice',
      redemptionId: first.redemptionId,
      orderId: 'order-1',
      amount: 25.5,
      metadata: { channel: 'web' },
    };
    expect(codeRedeemedWebhookV1Schema.parse(redeemed[0]!.json)).toMatchObject({
      ...common,
      type: 'code.redeemed',
    });
    const rollback = codeRedemptionRolledBackWebhookV1Schema.parse(rolledBack[0]!.json);
    expect(rollback).toMatchObject({ ...common, type: 'code.redemption_rolled_back' });
    expect(Date.parse(rollback.rolledBackAt)).toBeGreaterThanOrEqual(Date.parse(rollback.redeemedAt));
    expect(redeemed[0]!.json.eventId).not.toBe(rolledBack[0]!.json.eventId);

    // The code is claimed again, by alice: a new order redeems it, a new event with an id of its own.
    const again = await stack.gen.post<{ redemptionId: string }>(
      '/v1/brands/redeemer/redemptions',
      { code: first.code, orderId: 'order-2' },
      { token: brand.apiKey },
    );
    expect(again.status).toBe(201);
    await codeEventsRelayed('redeemer');
    await receiver.waitUntil(
      () => received('redeemer', 'code.redeemed').length >= 2,
      WAIT_MS,
      'the second one',
    );
    const second = received('redeemer', 'code.redeemed')[1]!.json;
    expect(second).toMatchObject({
      redemptionId: again.body.redemptionId,
      orderId: 'order-2',
      userId: 'alice',
    });
    expect(second).not.toHaveProperty('amount');
    expect(received('redeemer')).toHaveLength(3);
    // The claim itself was not chosen.
    expect(await deliveryTypes('redeemer')).toEqual([
      'code.redeemed',
      'code.redeemed',
      'code.redemption_rolled_back',
    ]);
  });
});

describe('pool.low', () => {
  it('reaches a brand that chose it, once per event', async () => {
    await brandWithWebhook('lowpool', ['pool.low'], { poolLowThreshold: 4 });
    await addCodes(stack, 'lowpool', 6);
    for (const user of ['low-1', 'low-2', 'low-3'])
      expect((await claim(stack, 'lowpool', user)).status).toBe(201);
    await receiver.waitUntil(() => received('lowpool', 'pool.low').length >= 1, WAIT_MS, 'pool.low');
    const body = poolLowWebhookV1Schema.parse(received('lowpool', 'pool.low')[0]!.json);
    expect(body).toMatchObject({ brandId: 'lowpool', threshold: 4 });
    expect(body.available).toBeLessThan(4);
    // Once the generator marked it handled, its delivery is the only one for its id.
    await eventually(async () => {
      const doc = await (await stack.db()).collection('brands').findOne({ _id: 'lowpool' as never });
      expect(doc?.lastPoolLowEventId).toBe(body.eventId);
    });
    const ids = received('lowpool').map((w) => String(w.json.eventId));
    expect(ids.filter((id) => id === body.eventId)).toHaveLength(1);
    expect(await deliveryTypes('lowpool')).toEqual(ids.map(() => 'pool.low'));
  });
});
