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
import {
  BrandsRepository,
  WebhookAttemptsRepository,
  WebhookDeliveriesRepository,
  type AttemptSummary,
  type LeasedDelivery,
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
 * Sends due webhook deliveries, retries them on schedule and dead-letters them, working from
 * the webhook_deliveries collection (the JetStream consumer only records deliveries there).
 * At most WEBHOOK_MAX_CONCURRENCY attempts run at once and at most WEBHOOK_MAX_IN_FLIGHT_PER_BRAND
 * per brand, so a brand whose receiver hangs ties up its own slots only. Each attempt leases its
 * delivery first, which makes several generator replicas safe and a crash mid-attempt harmless
 * (the lease runs out and the delivery is due again: at-least-once).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly settings: WebhookConfig;
  private readonly slots: DispatchSlots;
  private readonly sender: WebhookSender;
  private readonly instance = randomUUID();
  private readonly attempts = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) config: GeneratorConfig,
    urls: WebhookUrlValidator,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly attemptLog: WebhookAttemptsRepository,
    private readonly brands: BrandsRepository,
  ) {
    this.settings = config.webhooks;
    this.slots = new DispatchSlots(this.settings.maxConcurrency, this.settings.maxInFlightPerBrand);
    this.sender = new WebhookSender(urls.policy, {
      connectMs: this.settings.connectTimeoutMs,
      totalMs: this.settings.timeoutMs,
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.settings.pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks for due deliveries now (new ones were stored, a slot was freed, a dead letter requeued). */
  kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = this.tick()
      .catch((error: unknown) => this.logger.warn(`webhook dispatch round failed: ${describe(error)}`))
      .finally(() => {
        this.ticking = undefined;
        if (this.tickAgain) {
          this.tickAgain = false;
          this.kick();
        }
      });
  }

  /** Stops taking deliveries and waits for attempts in flight (bounded by their timeouts). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.attempts]);
  }

  private async tick(): Promise<void> {
    while (!this.stopped && this.slots.free() > 0) {
      const limit = this.slots.free();
      const due = await this.deliveries.findDue(new Date(), limit, this.slots.fullBrands());
      let started = 0;
      for (const { id, brandId } of due) {
        if (this.slots.free() === 0) break;
        if (!this.slots.tryTake(brandId)) continue;
        started++;
        const attempt = this.attempt(id, brandId).finally(() => {
          this.slots.release(brandId);
          this.attempts.delete(attempt);
          this.kick();
        });
        this.attempts.add(attempt);
      }
      // Another round only when this one filled up and progressed: there may be more due.
      if (due.length < limit || started === 0) return;
    }
  }

  private async attempt(id: string, brandId: string): Promise<void> {
    try {
      const now = new Date();
      const lease = await this.deliveries.lease(
        id,
        now,
        new Date(now.getTime() + this.settings.timeoutMs + LEASE_MARGIN_MS),
        `${this.instance}:${randomUUID()}`,
      );
      if (!lease) return;
      const brand = await this.brands.findById(brandId);
      const number = lease.totalAttempts + 1;
      const started = Date.now();
      const result: AttemptResult = brand?.webhook
        ? await this.post(lease, brand.webhook.url, brand.webhook.secret, number)
        : { kind: 'invalid_url', reason: 'the brand has no webhook configured any more' };
      await this.record(lease, result, number, new Date(started), Date.now() - started, brand?.webhook?.url);
    } catch (error) {
      // The lease runs out and the delivery is tried again: nothing is lost.
      this.logger.warn(`webhook delivery ${id} of brand ${brandId} interrupted: ${describe(error)}`);
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
