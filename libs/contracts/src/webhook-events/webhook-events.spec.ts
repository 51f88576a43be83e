import { randomUUID } from 'node:crypto';
import { newRedemptionId } from '../campaigns';
import type { PoolLowV1 } from '../events';
import { poolLowEventId } from '../events';
import {
  canonicalEventTypes,
  codeRedeemedWebhookV1Schema,
  codeRedemptionRolledBackWebhookV1Schema,
  DEFAULT_WEBHOOK_EVENT_TYPES,
  isWebhookEventType,
  jobCompletedWebhookV1Schema,
  jobEventId,
  jobFailedWebhookV1Schema,
  poolLowWebhook,
  poolLowWebhookV1Schema,
  WEBHOOK_BODY_SCHEMAS,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT_TYPE,
  webhookTestV1Schema,
  type CodeRedeemedWebhookV1,
  type CodeRedemptionRolledBackWebhookV1,
  type JobCompletedWebhookV1,
  type JobFailedWebhookV1,
  type WebhookTestV1,
} from '.';

const redeemed: CodeRedeemedWebhookV1 = {
  eventId: randomUUID(),
  type: 'code.redeemed',
  version: 1,
  brandId: 'acme',
  campaignId: 'default',
  code: '7U7I845L',
  userId: 'user-1',
  redemptionId: newRedemptionId('7U7I845L'),
  orderId: '#1001',
  amount: 49.9,
  metadata: { channel: 'web' },
  redeemedAt: '2024-05-01T12:34:56.789Z',
};
const rolledBack: CodeRedemptionRolledBackWebhookV1 = {
  ...redeemed,
  type: 'code.redemption_rolled_back',
  rolledBackAt: '2024-05-02T08:00:00.000Z',
};
const jobId = randomUUID();
const completed: JobCompletedWebhookV1 = {
  eventId: jobEventId(jobId, 'job.completed'),
  type: 'job.completed',
  version: 1,
  brandId: 'acme',
  campaignId: 'summer-sale',
  jobId,
  requested: 250_000,
  generated: 250_000,
  createdAt: '2024-05-01T12:00:00.000Z',
  finishedAt: '2024-05-01T12:01:30.000Z',
};
const failed: JobFailedWebhookV1 = {
  ...completed,
  eventId: jobEventId(jobId, 'job.failed'),
  type: 'job.failed',
  generated: 120_000,
  error: 'the code space is saturated',
};
const test: WebhookTestV1 = {
  eventId: randomUUID(),
  type: WEBHOOK_TEST_EVENT_TYPE,
  version: 1,
  brandId: 'acme',
  sentAt: '2024-05-01T12:00:00.000Z',
};

describe('webhook event types', () => {
  it('are exactly the six a brand can choose, code.claimed the default', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([
      'code.claimed',
      'code.redeemed',
      'code.redemption_rolled_back',
      'pool.low',
      'job.completed',
      'job.failed',
    ]);
    expect(DEFAULT_WEBHOOK_EVENT_TYPES).toEqual(['code.claimed']);
  });

  it('each has a body schema whose type is its name, version 1; so has webhook.test', () => {
    expect(Object.keys(WEBHOOK_BODY_SCHEMAS).sort()).toEqual(
      [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE].sort(),
    );
    for (const [type, schema] of Object.entries(WEBHOOK_BODY_SCHEMAS)) {
      expect(schema.shape.type.value).toBe(type);
      expect(schema.shape.version.value).toBe(1);
    }
  });

  it('webhook.test is not a type a brand chooses', () => {
    expect(isWebhookEventType(WEBHOOK_TEST_EVENT_TYPE)).toBe(false);
    expect(isWebhookEventType('code.redeemed')).toBe(true);
    expect(isWebhookEventType('*')).toBe(false);
  });

  it('a choice is stored each type once, in the listed order', () => {
    expect(canonicalEventTypes(['job.failed', 'code.claimed', 'job.failed', 'pool.low'])).toEqual([
      'code.claimed',
      'pool.low',
      'job.failed',
    ]);
  });
});

describe.each<[string, { safeParse: (v: unknown) => { success: boolean } }, Record<string, unknown>]>([
  ['code.redeemed v1', codeRedeemedWebhookV1Schema, redeemed],
  ['code.redemption_rolled_back v1', codeRedemptionRolledBackWebhookV1Schema, rolledBack],
  ['job.completed v1', jobCompletedWebhookV1Schema, completed],
  ['job.failed v1', jobFailedWebhookV1Schema, failed],
  ['webhook.test v1', webhookTestV1Schema, test],
])('%s body', (_, schema, body) => {
  it('accepts the example', () => {
    expect(schema.safeParse(body).success).toBe(true);
  });

  it('rejects extra fields (strict)', () => {
    expect(schema.safeParse({ ...body, internal: 'x' }).success).toBe(false);
  });

  it.each(['eventId', 'type', 'version', 'brandId'])('rejects a body without %s', (field) => {
    const { [field]: _, ...rest } = body;
    expect(schema.safeParse(rest).success).toBe(false);
  });

  it.each<[string, Record<string, unknown>]>([
    ['version 2', { version: 2 }],
    ['another type', { type: 'code.claimed' }],
    ['a bad event id', { eventId: 'not-a-uuid' }],
    ['a bad brand id', { brandId: '-acme' }],
  ])('rejects %s', (_, change) => {
    expect(schema.safeParse({ ...body, ...change }).success).toBe(false);
  });
});

describe('code redemption bodies', () => {
  it('amount and metadata are optional; userId, orderId and the redemption id are not', () => {
    const { amount: _a, metadata: _m, ...bare } = redeemed;
    expect(codeRedeemedWebhookV1Schema.safeParse(bare).success).toBe(true);
    for (const field of ['userId', 'orderId', 'redemptionId', 'campaignId', 'redeemedAt'] as const) {
      const { [field]: _, ...rest } = redeemed;
      expect(codeRedeemedWebhookV1Schema.safeParse(rest).success).toBe(false);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['a redemption id that names no code', { redemptionId: 'abc' }],
    ['an empty orderId', { orderId: '' }],
    ['an orderId of 129 characters', { orderId: 'o'.repeat(129) }],
    ['an infinite amount', { amount: Number.POSITIVE_INFINITY }],
    ['metadata with a number', { metadata: { n: 1 } }],
    ['a date-only redeemedAt', { redeemedAt: '2024-05-01' }],
  ])('rejects %s', (_, change) => {
    expect(codeRedeemedWebhookV1Schema.safeParse({ ...redeemed, ...change }).success).toBe(false);
  });

  it('a rollback says when it happened', () => {
    const { rolledBackAt: _, ...rest } = rolledBack;
    expect(codeRedemptionRolledBackWebhookV1Schema.safeParse(rest).success).toBe(false);
  });
});

describe('job bodies', () => {
  it('a failure says why; a completion has no error field', () => {
    const { error: _, ...rest } = failed;
    expect(jobFailedWebhookV1Schema.safeParse(rest).success).toBe(false);
    expect(jobCompletedWebhookV1Schema.safeParse({ ...completed, error: 'x' }).success).toBe(false);
  });

  it('jobEventId: one id per job and end, the same every time, accepted as an event id', () => {
    expect(jobEventId(jobId, 'job.completed')).toBe(completed.eventId);
    expect(jobEventId(jobId, 'job.failed')).not.toBe(completed.eventId);
    expect(jobEventId(randomUUID(), 'job.completed')).not.toBe(completed.eventId);
    expect(jobCompletedWebhookV1Schema.shape.eventId.safeParse(completed.eventId).success).toBe(true);
  });
});

describe('pool.low body v1', () => {
  const event: PoolLowV1 = {
    eventId: poolLowEventId('acme', new Date('2024-05-01T12:00:00Z'), 300_000),
    type: 'pool.low',
    version: 1,
    brandId: 'acme',
    available: 7,
    threshold: 10,
    detectedAt: '2024-05-01T12:00:00.000Z',
  };

  it('is mapped field by field from the event between the apps, under its event id', () => {
    const body = poolLowWebhook(event);
    expect(body).toStrictEqual(event);
    expect(poolLowWebhookV1Schema.parse(body)).toStrictEqual(body);
    expect(poolLowWebhook({ ...event, internal: 'x' } as PoolLowV1)).not.toHaveProperty('internal');
  });

  it('the pool.low event id is the same as before it was derived through nameBasedEventId', () => {
    expect(poolLowEventId('acme', new Date('2024-05-01T12:01:00Z'), 300_000)).toBe(
      '6de24951-08f0-5caf-9fad-68ed1d6073e4',
    );
  });
});
