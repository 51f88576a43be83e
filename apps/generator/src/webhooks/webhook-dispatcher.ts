import { randomUUID } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import {
  BrandsRepository,
  WebhookDeliveriesRepository,
  type LeasedDelivery,
  type NewDelivery,
  type WebhookSettings,
} from '@app/persistence';
import { errorMessage, PeriodicTask, PromiseCache } from '@app/scheduling';
import { WEBHOOK_CONFIG, type WebhookConfig } from '../generator.config';
import { AttemptRecorder } from './attempt-recorder';
import { DispatchSlots } from './dispatch-slots';
import type { AttemptResult } from './retry-policy';
import { postSigned } from './signed-post';
import { WebhookSender } from './webhook-sender';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookUrlValidator } from './webhook-url.validator';
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
 * the webhook_deliveries collection: the claim-events consumer enqueues deliveries there (fresh
 * ones already leased to this dispatcher when it has a slot for them) and acknowledges the events.
 * This class schedules the attempts; `postSigned` makes one, the AttemptRecorder records it.
 * At most WEBHOOK_MAX_CONCURRENCY attempts run at once and at most WEBHOOK_MAX_IN_FLIGHT_PER_BRAND
 * requests per brand, so a brand whose receiver hangs ties up its own slots only. Every attempt
 * holds a lease on its delivery, which makes several generator replicas safe and a crash
 * mid-attempt harmless (the lease runs out and the delivery is due again: at-least-once).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly slots: DispatchSlots;
  private readonly sender: WebhookSender;
  private readonly instance = randomUUID();
  private readonly attempts = new Set<Promise<void>>();
  /** Due deliveries read ahead, oldest first; stale ones simply fail their lease. */
  private candidates: Array<{ id: string; brandId: string }> = [];
  /** The brands' webhook settings, cached briefly: one read per brand for a burst of deliveries. */
  private readonly webhooks = new PromiseCache<WebhookSettings | undefined>({
    ttlMs: SETTINGS_CACHE_MS,
    maxEntries: 10_000,
  });
  /** Dispatch rounds: on the poll interval, and whenever asked for. */
  private readonly task: PeriodicTask;
  /**
   * Something may have become due that the read-ahead does not hold: new deliveries, a
   * redelivery, or time passing (retries: a poll interval since the last read). Only then is the
   * collection read again while candidates are in hand; a freed slot alone is served from the
   * read-ahead.
   */
  private newDueSinceRead = true;
  private lastReadAt = 0;
  private stopped = false;

  constructor(
    @Inject(WEBHOOK_CONFIG) private readonly settings: WebhookConfig,
    urls: WebhookUrlValidator,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly brands: BrandsRepository,
    private readonly recorder: AttemptRecorder,
    private readonly secrets: WebhookSecrets,
  ) {
    this.slots = new DispatchSlots(this.settings.maxConcurrency, this.settings.maxInFlightPerBrand);
    this.sender = new WebhookSender(urls.policy, this.settings, {
      connectMs: this.settings.connectTimeoutMs,
      totalMs: this.settings.timeoutMs,
    });
    // No jitter: a round the timer starts then always finds a poll interval gone since the last
    // read, so retries that came due are read.
    this.task = new PeriodicTask(
      { name: 'webhook dispatch round', intervalMs: this.settings.pollIntervalMs, jitter: 0 },
      () => this.dispatchRound(),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /**
   * Dispatches what it can now. `newDue`: deliveries may have become due that were not due (or
   * did not exist) at the last read: stored, requeued, or their retry time came.
   */
  dispatchSoon(newDue = false): void {
    if (newDue) this.newDueSinceRead = true;
    this.task.runSoon();
  }

  /**
   * Stores new deliveries (those of a redelivered event are there already and left alone) and
   * starts at once the ones a slot is free for: they are stored leased to this dispatcher, so
   * their first attempt needs no search and no lease write. `webhooks` are the settings of their
   * brands, just read by the caller: the first attempts do not read them again.
   */
  async enqueue(
    deliveries: readonly NewDelivery[],
    webhooks: ReadonlyMap<string, WebhookSettings>,
  ): Promise<void> {
    for (const [brandId, webhook] of webhooks) this.webhooks.set(brandId, webhook);
    const offered = this.reserve(deliveries);
    let stored: ReadonlySet<string>;
    try {
      stored = await this.deliveries.insertNew(offered);
    } catch (error) {
      for (const delivery of offered) if (delivery.lease) this.slots.release(delivery.brandId);
      throw error;
    }
    this.startReserved(offered, stored);
  }

  /** Stops taking deliveries and waits for attempts in flight (bounded by their timeouts). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.task.stop();
    await Promise.allSettled([...this.attempts]);
  }

  private async dispatchRound(): Promise<void> {
    if (Date.now() - this.lastReadAt >= this.settings.pollIntervalMs) this.newDueSinceRead = true;
    let refreshed = false;
    while (!this.stopped) {
      // Start what the read-ahead allows; keep candidates whose brand has no free slot.
      const kept: Array<{ id: string; brandId: string }> = [];
      for (const candidate of this.candidates) {
        if (this.slots.free() > 0 && this.slots.tryTake(candidate.brandId)) {
          this.startAttempt(candidate.brandId, () => this.lease(candidate.id));
        } else kept.push(candidate);
      }
      this.candidates = kept;
      if (this.slots.free() === 0 || refreshed) return;
      // Slots are free and nothing in hand can use them. Read again, skipping full brands (so
      // one brand's backlog never hides another's deliveries), but only when something new may
      // be due or nothing is in hand: a freed slot alone does not cost a query.
      if (kept.length > 0 && !this.newDueSinceRead) return;
      this.newDueSinceRead = false;
      this.lastReadAt = Date.now();
      const known = new Set(kept.map((c) => c.id));
      const fresh = await this.deliveries.findDue(new Date(), CANDIDATE_BATCH, this.slots.fullBrands());
      refreshed = true;
      this.candidates = [...kept, ...fresh.filter((c) => !known.has(c.id))].slice(0, MAX_CANDIDATES);
      if (fresh.length === 0) return;
    }
  }

  /** Deliveries about to be stored: each one a slot is free for right now gets it, and a lease. */
  private reserve(deliveries: readonly NewDelivery[]): NewDelivery[] {
    if (this.stopped) return [...deliveries];
    const until = new Date(Date.now() + this.settings.timeoutMs + LEASE_MARGIN_MS);
    return deliveries.map((delivery) =>
      this.slots.tryTake(delivery.brandId)
        ? { ...delivery, lease: { token: `${this.instance}:${randomUUID()}`, until } }
        : delivery,
    );
  }

  /** Starts the reserved deliveries that were stored (new); gives back the slots of the rest. */
  private startReserved(deliveries: readonly NewDelivery[], stored: ReadonlySet<string>): void {
    for (const delivery of deliveries) {
      if (!delivery.lease) continue;
      if (stored.has(delivery.eventId) && !this.stopped) {
        const leased = leasedFromNew(delivery, delivery.lease);
        this.startAttempt(delivery.brandId, () => Promise.resolve(leased));
      } else {
        // Already there (a redelivered event): its delivery is not ours to attempt.
        this.slots.release(delivery.brandId);
      }
    }
    // Something new to look for only when some of them were stored without a lease.
    this.dispatchSoon(deliveries.some((d) => !d.lease));
  }

  /** Runs one attempt in a slot already taken for `brandId`; the slot is freed when it ends. */
  private startAttempt(brandId: string, obtain: () => Promise<LeasedDelivery | null>): void {
    let brandReleased = false;
    const releaseBrand = () => {
      if (brandReleased) return;
      brandReleased = true;
      this.slots.releaseBrand(brandId);
      this.dispatchSoon();
    };
    const attempt = this.attempt(brandId, obtain, releaseBrand).finally(() => {
      releaseBrand();
      this.slots.releaseTotal();
      this.attempts.delete(attempt);
      this.dispatchSoon();
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
      const attempt = lease.totalAttempts + 1;
      const started = Date.now();
      const result: AttemptResult = webhook
        ? await postSigned(
            this.sender,
            lease,
            // The replaced secret's grace period is judged now, at each attempt: the cache holds settings, not this.
            { url: webhook.url, secrets: this.secrets.signingSecrets(webhook) },
            attempt,
          )
        : { kind: 'invalid_url', reason: 'the brand has no webhook configured any more' };
      requestDone();
      await this.recorder.record({
        lease,
        result,
        attempt,
        at: new Date(started),
        durationMs: Date.now() - started,
        url: webhook?.url,
      });
    } catch (error) {
      // The lease runs out and the delivery is tried again: nothing is lost.
      this.logger.warn(`webhook delivery ${id} of brand ${brandId} interrupted: ${errorMessage(error)}`);
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
