/**
 * What the lifecycle webhook specs share: a stack whose generator delivers quickly to a real
 * receiver on loopback (every claim checking the pool), brands whose webhooks go to it, and the
 * steps that wait for the relays: a job's end and the codes' lifecycle events out of their outboxes.
 */
import { startE2eStack, type E2eStack } from './e2e-stack';
import { claim, createBrand } from './flows';
import type { CreatedBrand, WebhookDeliveryPage } from './http';
import { eventually } from './poll';
import { brandApi } from './redemptions';
import { LOCAL_RECEIVER_ENV, verifyWebhook, WebhookReceiver, type ReceivedWebhook } from './webhook-receiver';

/** Signs every brand's webhook. */
export const LIFECYCLE_WEBHOOK_SECRET = 'whsec_lifecycle_0123456789abcdefghijk';
/** Up to this many codes are generated inline; more become a job (of chunks of CHUNK codes). */
export const INLINE_MAX = 100;
export const CHUNK = 100;
/** How long a step waits for the relays and the receiver. */
export const WAIT_MS = 60_000;

export interface Job {
  jobId: string;
  status: string;
  requested: number;
  generated: number;
}

/**
 * One spec file's stack and receiver, with the steps bound to them (arrow properties, so a spec
 * can destructure them before start()).
 */
export class LifecycleWebhookStack {
  private started?: { stack: E2eStack; receiver: WebhookReceiver };

  async start(label: string): Promise<{ stack: E2eStack; receiver: WebhookReceiver }> {
    const receiver = await new WebhookReceiver().start();
    try {
      const stack = await startE2eStack({
        label,
        generatorEnv: {
          DEV_OPEN_BRAND_API: undefined,
          ...LOCAL_RECEIVER_ENV,
          WEBHOOK_POLL_INTERVAL_MS: '100',
          WEBHOOK_BACKOFF_BASE_MS: '100',
          WEBHOOK_BACKOFF_MAX_MS: '400',
          WEBHOOK_CONNECT_TIMEOUT_MS: '500',
          WEBHOOK_TIMEOUT_MS: '3000',
          GENERATION_INLINE_MAX_COUNT: String(INLINE_MAX),
          GENERATION_JOB_CHUNK_SIZE: String(CHUNK),
        },
        // Every claim checks the pool, so the pool.low case needs only a few claims.
        providerEnv: { POOL_LOW_CHECK_EVERY_CLAIMS: '1' },
      });
      this.started = { stack, receiver };
      return this.started;
    } catch (error) {
      await receiver.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.started?.stack.stop();
    await this.started?.receiver.stop();
  }

  private get stack(): E2eStack {
    if (!this.started) throw new Error('LifecycleWebhookStack: start() first');
    return this.started.stack;
  }

  private get receiver(): WebhookReceiver {
    if (!this.started) throw new Error('LifecycleWebhookStack: start() first');
    return this.started.receiver;
  }

  /** A brand whose webhook goes to the receiver's /<id>, for `events` (none: the default). */
  readonly brandWithWebhook = (id: string, events?: string[], extra: Record<string, unknown> = {}) =>
    createBrand(this.stack, {
      id,
      name: id,
      webhook: {
        url: this.receiver.url(`/${id}`),
        secret: LIFECYCLE_WEBHOOK_SECRET,
        ...(events ? { events } : {}),
      },
      ...extra,
    });

  /** What arrived at the brand's path, every signature checked, by type. */
  readonly received = (brandId: string, type?: string): ReceivedWebhook[] => {
    const all = this.receiver.at(`/${brandId}`);
    for (const webhook of all) {
      expect(verifyWebhook(LIFECYCLE_WEBHOOK_SECRET, webhook.headers, webhook.body)).toBe(true);
      expect(webhook.headers['webhook-id']).toBe(webhook.json.eventId);
      expect(webhook.headers['x-discounts-event-id']).toBe(webhook.json.eventId);
    }
    return type === undefined ? all : all.filter((w) => w.json.type === type);
  };

  /** The event types of the brand's stored deliveries, sorted. */
  readonly deliveryTypes = async (brandId: string): Promise<string[]> => {
    const res = await this.stack.genAdmin.get<WebhookDeliveryPage>(
      `/v1/brands/${brandId}/webhook-deliveries?limit=100`,
    );
    expect(res.status).toBe(200);
    return res.body.items.map((d) => d.eventType).sort();
  };

  /** Submits a job of `count` codes (count > INLINE_MAX) and waits until it completed. */
  readonly completedJob = async (brandId: string, count: number): Promise<Job> => {
    const res = await this.stack.genAdmin.post<Job>(`/v1/brands/${brandId}/codes`, { count });
    expect(res.status).toBe(202);
    return eventually(
      async () => {
        const job = await this.stack.genAdmin.get<Job>(`/v1/jobs/${res.body.jobId}`);
        expect(job.body.status).toBe('completed');
        return job.body;
      },
      { timeoutMs: WAIT_MS, intervalMs: 250 },
    );
  };

  /** Resolves once the relay has taken the job's end out of its outbox (delivered, or dropped). */
  readonly jobEndRelayed = async (jobId: string): Promise<void> => {
    await eventually(
      async () => {
        const job = await (
          await this.stack.db()
        )
          .collection('generation_jobs')
          .findOne({ _id: jobId as never });
        expect(job?.status).toBe('completed');
        expect(job).not.toHaveProperty('eventPending');
      },
      { timeoutMs: WAIT_MS },
    );
  };

  /** Resolves once no code of the brand has lifecycle events waiting for the relay. */
  readonly codeEventsRelayed = async (brandId: string): Promise<void> => {
    await eventually(
      async () => {
        const pending = await (await this.stack.db()).collection('codes').countDocuments({
          brandId,
          $or: [{ lifecycleEventsPending: true }, { lifecycleEvents: { $exists: true } }],
        });
        expect(pending).toBe(0);
      },
      { timeoutMs: WAIT_MS },
    );
  };

  /** A code of the brand claimed by `userId`, redeemed with `orderId` by the brand's key, and rolled back. */
  readonly claimRedeemRollback = async (brand: CreatedBrand, userId: string, orderId: string) => {
    const claimed = await claim(this.stack, brand.brandId, userId);
    expect(claimed.status).toBe(201);
    const code = claimed.body.code;
    const api = brandApi(this.stack, brand);
    const redeem = () => api.redeem({ code, orderId, userId, amount: 25.5, metadata: { channel: 'web' } });
    const redeemed = await redeem();
    expect(redeemed.status).toBe(201);
    // The same order again: the same redemption, no second event.
    expect((await redeem()).status).toBe(200);
    const rollback = () => api.rollback(redeemed.body.redemptionId);
    expect((await rollback()).status).toBe(200);
    expect((await rollback()).status).toBe(200);
    return { code, redemptionId: redeemed.body.redemptionId };
  };
}
