import type { z } from 'zod';
import { codeClaimedWebhookV1Schema } from '../webhooks';
import {
  codeRedeemedWebhookV1Schema,
  codeRedemptionRolledBackWebhookV1Schema,
} from './code-redemption.webhooks';
import { WEBHOOK_TEST_EVENT_TYPE, type WebhookEventType } from './event-types';
import { jobCompletedWebhookV1Schema, jobFailedWebhookV1Schema } from './job-finished.webhooks';
import { poolLowWebhookV1Schema } from './pool-low.webhooks';
import { webhookTestV1Schema } from './webhook-test.webhooks';

export * from './code-redemption.webhooks';
export * from './event-types';
export * from './job-finished.webhooks';
export * from './pool-low.webhooks';
export * from './webhook-test.webhooks';

const schemas = {
  'code.claimed': codeClaimedWebhookV1Schema,
  'code.redeemed': codeRedeemedWebhookV1Schema,
  'code.redemption_rolled_back': codeRedemptionRolledBackWebhookV1Schema,
  'pool.low': poolLowWebhookV1Schema,
  'job.completed': jobCompletedWebhookV1Schema,
  'job.failed': jobFailedWebhookV1Schema,
  [WEBHOOK_TEST_EVENT_TYPE]: webhookTestV1Schema,
} as const satisfies Record<WebhookEventType | typeof WEBHOOK_TEST_EVENT_TYPE, z.ZodType>;

export type WebhookBody<T extends keyof typeof schemas> = z.infer<(typeof schemas)[T]>;

/** The body schema of each webhook event type (the current version of each): the public contract. */
export const WEBHOOK_BODY_SCHEMAS: { readonly [T in keyof typeof schemas]: (typeof schemas)[T] } = schemas;
