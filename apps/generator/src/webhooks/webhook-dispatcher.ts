import { randomUUID } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { context, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { APP_CONFIG } from '@app/config';
import { WEBHOOK_HEADERS } from '@app/contracts';
import { contextFromCarrier, traceHeaders } from '@app/messaging';
import { WebhookMetrics } from '@app/metrics';
import { errorMessage, PeriodicTask, PromiseCache } from '@app/scheduling';
import {
  BrandsRepository,
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
  type AttemptSummary,
  type LeasedDelivery,
  type NewDelivery,
  type WebhookSettings,
} from '@app/persistence';
import type { GeneratorConfig, WebhookConfig } from '../generator.config';
import { DispatchSlots } from './dispatch-slots';
import { describeResult, nextStep, type AttemptResult } from './retry-policy';
import { WebhookSender } from './webhook-sender';
import { signWebhook } from './webhook-signature';
import { WebhookUrlValidator } from './webhook-url.validator';

const TRACER_NAME = 'discounts-webhooks';
const USER_AGENT = 'discounts-webhooks/1';
/** A lease outlives the attempt's own timeout by this much before another dispatcher may retry it. */
const LEASE_MARGIN_MS = 30_000;
/**
 * Due deliveries read per query. Kept in memory and taken as slots free up, so a burst costs
 * one query per this many attempts instead of one per attempt; each is still leased before use.
 */
const CANDIDATE_BATCH = 200;
const MAX_CANDIDATES = 1_000;
/** Webhook settings are re-read at most this often per brand: a changed URL or secret applies within it. */
const SETTINGS_CACHE_MS = 2_000;

/**
 * Sends due webhook deliveries, retries them on schedule and dead-letters them, working from
 * the webhook_deliveries collection: the JetStream consumer stores deliveries there (fresh ones
 * already leased to this dispatcher when it has a slot for them) and acknowledges the events.
 * At most WEBHOOK_MAX_CONCURRENCY attempts run at once and at most WEBHOOK_MAX_IN_FLIGHT_PER_BRAND
 * requests per brand, so a brand whose receiver hangs ties up its own slots only. Every attempt
 * holds a lease on its delivery, which makes several generator replicas safe and a crash
 * mid-attempt harmless (the lease runs out and the delivery is due again: at-least-once).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly settings: WebhookConfig;
  private readonly slots: DispatchSlots;
  private readonly sender: WebhookSender;
  private readonly instance = randomUUID();
  private readonly attempts = new Set<Promise<void>>();
  /** Due deliveries read ahead, oldest first; stale ones simply fail their lease. */
  private candidates: Array<{ id: string; brandId: string }> = [];
  /** The brand's webhook settings, cached briefly: one read per brand for a burst of deliveries. */
  private readonly webhooks = new PromiseCache<WebhookSettings | undefined>({
    ttlMs: SETTINGS_CACHE_MS,
    maxEntries: 10_000,
  });
  /** Dispatch rounds: on the poll interval, and whenever kicked. */
  private readonly task: PeriodicTask;
  /**
   * Something may have become due that the read-ahead does not hold: new deliveries, a
   * redelivery, or time passing (retries: a poll interval since the last read). Only then is the
   * collection read again while candidates are in hand; a freed slot alone is served from the
   * read-ahead.
   */
  private maybeNewDue = true;
  private lastReadAt = 0;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) config: GeneratorConfig,
    urls: WebhookUrlValidator,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly attemptLog: WebhookAttemptsRepository,
    private readonly brands: BrandsRepository,
    private readonly metrics: WebhookMetrics,
  ) {
    this.settings = config.webhooks;
    this.slots = new DispatchSlots(this.settings.maxConcurrency, this.settings.maxInFlightPerBrand);
    this.sender = new WebhookSender(urls.policy, {
      connectMs: this.settings.connectTimeoutMs,
      totalMs: this.settings.timeoutMs,
    });
    // No jitter: a round the timer starts then always finds a poll interval gone since the last
    // read, so retries that came due are read.
    this.task = new PeriodicTask(
      { name: 'webhook dispatch round', intervalMs: this.settings.pollIntervalMs, jitter: 0 },
      () => this.tick(),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /**
   * Dispatches what it can now. `newDue`: deliveries may have become due that were not due (or
   * did not exist) at the last read: stored, requeued, or their retry time came.
   */
  kick(newDue = false): void {
    if (newDue) this.maybeNewDue = true;
    this.task.runSoon();
  }

  /** Stops taking deliveries and waits for attempts in flight (bounded by their timeouts). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.task.stop();
    await Promise.allSettled([...this.attempts]);
  }

  private async tick(): Promise<void> {
    if (Date.now() - this.lastReadAt >= this.settings.pollIntervalMs) this.maybeNewDue = true;
    let refreshed = false;
    while (!this.stopped) {
      // Start what the read-ahead allows; keep candidates whose brand has no free slot.
      const kept: Array<{ id: string; brandId: string }> = [];
      for (const candidate of this.candidates) {
        if (this.slots.free() > 0 && this.slots.tryTake(candidate.brandId)) {
          this.start(candidate.brandId, () => this.lease(candidate.id));
        } else kept.push(candidate);
      }
      this.candidates = kept;
      if (this.slots.free() === 0 || refreshed) return;
      // Slots are free and nothing in hand can use them. Read again, skipping full brands (so
      // one brand's backlog never hides another's deliveries), but only when something new may
      // be due or nothing is in hand: a freed slot alone does not cost a query.
      if (kept.length > 0 && !this.maybeNewDue) return;
      this.maybeNewDue = false;
      this.lastReadAt = Date.now();
      const known = new Set(kept.map((c) => c.id));
      const fresh = await this.deliveries.findDue(new Date(), CANDIDATE_BATCH, this.slots.fullBrands());
      refreshed = true;
      this.candidates = [...kept, ...fresh.filter((c) => !known.has(c.id))].slice(0, MAX_CANDIDATES);
      if (fresh.length === 0) return;
    }
  }

  /**
   * Offers deliveries about to be stored: each one a slot is free for right now gets the slot
   * and a lease to be stored under, so its first attempt needs no search and no lease write.
   * Call startReserved() once they are stored, or cancelReserved() when storing failed.
   */
  reserve(deliveries: readonly NewDelivery[]): NewDelivery[] {
    if (this.stopped) return [...deliveries];
    const until = new Date(Date.now() + this.settings.timeoutMs + LEASE_MARGIN_MS);
    return deliveries.map((delivery) =>
      this.slots.tryTake(delivery.brandId)
        ? { ...delivery, lease: { token: `${this.instance}:${randomUUID()}`, until } }
        : delivery,
    );
  }

  /** Starts the reserved deliveries that were stored (new); gives back the slots of the rest. */
  startReserved(deliveries: readonly NewDelivery[], stored: ReadonlySet<string>): void {
    for (const delivery of deliveries) {
      if (!delivery.lease) continue;
      if (stored.has(delivery.eventId) && !this.stopped) {
        const leased = leasedFromNew(delivery, delivery.lease);
        this.start(delivery.brandId, () => Promise.resolve(leased));
      } else {
        // Already there (a redelivered event): its delivery is not ours to attempt.
        this.slots.release(delivery.brandId);
      }
    }
    // Something new to look for only when some of them were stored without a lease.
    this.kick(deliveries.some((d) => !d.lease));
  }

  cancelReserved(deliveries: readonly NewDelivery[]): void {
    for (const delivery of deliveries) if (delivery.lease) this.slots.release(delivery.brandId);
  }

  /** Runs one attempt in a slot already taken for `brandId`; the slot is freed when it ends. */
  private start(brandId: string, obtain: () => Promise<LeasedDelivery | null>): void {
    let brandReleased = false;
    const releaseBrand = () => {
      if (brandReleased) return;
      brandReleased = true;
      this.slots.releaseBrand(brandId);
      this.kick();
    };
    const attempt = this.attempt(brandId, obtain, releaseBrand).finally(() => {
      releaseBrand();
      this.slots.releaseTotal();
      this.attempts.delete(attempt);
      this.kick();
    });
    this.attempts.add(attempt);
  }

  private lease(id: string): Promise<LeasedDelivery | null> {
    const now = new Date();
    return this.deliveries.lease(
      id,
      now,
      new Date(now.getTime() + this.settings.timeoutMs + LEASE_MARGIN_MS),
      `${this.instance}:${randomUUID()}`,
    );
  }

  private webhookOf(brandId: string): Promise<WebhookSettings | undefined> {
    return this.webhooks.get(brandId, () => this.brands.findById(brandId).then((brand) => brand?.webhook));
  }

  /**
   * One attempt: lease (unless already leased), POST, record. `requestDone` is called as soon as
   * the receiver answered: the brand's slot is free for its next request while this outcome is
   * being recorded (the delivery stays leased meanwhile, so it is not attempted twice).
   */
  private async attempt(
    brandId: string,
    obtain: () => Promise<LeasedDelivery | null>,
    requestDone: () => void,
  ): Promise<void> {
    let id = '(not leased)';
    try {
      const lease = await obtain();
      if (!lease) return;
      id = lease.id;
      const webhook = await this.webhookOf(brandId);
      const number = lease.totalAttempts + 1;
      const started = Date.now();
      const result: AttemptResult = webhook
        ? await this.post(lease, webhook.url, webhook.secret, number)
        : { kind: 'invalid_url', reason: 'the brand has no webhook configured any more' };
      requestDone();
      await this.record(lease, result, number, new Date(started), Date.now() - started, webhook?.url);
    } catch (error) {
      // The lease runs out and the delivery is tried again: nothing is lost.
      this.logger.warn(`webhook delivery ${id} of brand ${brandId} interrupted: ${errorMessage(error)}`);
    }
  }

  /** One signed POST in a CLIENT span that continues the claim's trace. */
  private post(lease: LeasedDelivery, url: string, secret: string, number: number): Promise<AttemptResult> {
    const parent: Context = lease.traceContext ? contextFromCarrier(lease.traceContext) : context.active();
    const target = safeTarget(url);
    const span = trace.getTracer(TRACER_NAME).startSpan(
      'POST webhook',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'POST',
          // Host and port only: a webhook URL's path or query may carry the brand's own tokens.
          'server.address': target.host,
          ...(target.port ? { 'server.port': target.port } : {}),
          'discounts.event.id': lease.id,
          'discounts.webhook.attempt': number,
        },
      },
      parent,
    );
    const body = JSON.stringify(lease.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      [WEBHOOK_HEADERS.eventId]: lease.id,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
      [WEBHOOK_HEADERS.attempt]: String(number),
      ...traceHeaders(trace.setSpan(parent, span)),
    };
    return this.sender.send({ url, body, headers }).then((result) => {
      if (result.kind === 'response') span.setAttribute('http.response.status_code', result.statusCode);
      if (result.kind !== 'response' || result.statusCode >= 400) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: describeResult(result) });
      }
      span.end();
      return result;
    });
  }

  private async record(
    lease: LeasedDelivery,
    result: AttemptResult,
    number: number,
    at: Date,
    durationMs: number,
    url: string | undefined,
  ): Promise<void> {
    const step = nextStep(result, lease.cycleAttempts + 1, lease.cycleStartedAt, new Date(), {
      maxAttempts: this.settings.maxAttempts,
      maxAgeMs: this.settings.maxAgeMs,
      baseMs: this.settings.backoffBaseMs,
      maxMs: this.settings.backoffMaxMs,
    });
    const summary: AttemptSummary = {
      at,
      outcome: step.action === 'delivered' ? 'delivered' : 'failed',
      ...(result.kind === 'response' ? { statusCode: result.statusCode } : {}),
      ...(step.action === 'delivered' ? {} : { error: describeResult(result) }),
      durationMs,
    };
    this.metrics.attempted(step.action, durationMs / 1000);
    await this.attemptLog.record(lease.brandId, { deliveryId: lease.id, number, ...summary });
    const where = `webhook ${lease.id} of brand ${lease.brandId} to ${url ? safeTarget(url).origin : 'nowhere'}`;
    switch (step.action) {
      case 'delivered':
        await this.deliveries.recordDelivered(lease, summary);
        return;
      case 'retry':
        await this.deliveries.recordRetry(lease, summary, step.at);
        this.logger.warn(
          `${where}: attempt ${number} failed (${describeResult(result)}); next at ${step.at.toISOString()}`,
        );
        return;
      case 'dead':
        await this.deliveries.recordDead(lease, summary, step.reason);
        this.logger.warn(`${where}: dead-lettered (${step.reason})`);
        return;
    }
  }
}

function leasedFromNew(delivery: NewDelivery, lease: { token: string; until: Date }): LeasedDelivery {
  return {
    id: delivery.eventId,
    brandId: delivery.brandId,
    eventType: delivery.eventType,
    payload: delivery.payload,
    status: 'pending',
    nextAttemptAt: lease.until,
    cycleAttempts: 0,
    totalAttempts: 0,
    cycleStartedAt: delivery.createdAt,
    redeliveries: 0,
    ...(delivery.traceContext ? { traceContext: delivery.traceContext } : {}),
    createdAt: delivery.createdAt,
    leaseToken: lease.token,
  };
}

/** What of a webhook URL may appear in logs and spans: scheme, host and port, never path or query. */
function safeTarget(url: string): { origin: string; host: string; port?: number } {
  try {
    const parsed = new URL(url);
    return {
      origin: parsed.origin,
      host: parsed.hostname,
      ...(parsed.port ? { port: Number(parsed.port) } : {}),
    };
  } catch {
    return { origin: '(invalid URL)', host: '(invalid)' };
  }
}
