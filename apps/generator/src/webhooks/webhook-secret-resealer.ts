import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { BrandWebhookSecretsRepository, type StoredWebhookSecrets } from '@app/persistence';
import { PeriodicTask } from '@app/scheduling';
import { SecretBox } from './secret-box';

const RESEAL_INTERVAL_MS = 60_000;
const BATCH = 100;

/**
 * Moves stored webhook secrets to the current key of WEBHOOK_SECRET_KEYS: after a key rotation
 * (a new key listed first, the old one still listed to open what it sealed) and for secrets
 * stored before sealing existed. A brand's previous secret (in its rotation grace period) is
 * moved too. A previous secret whose grace period is over is dropped, whatever key sealed it:
 * nothing signs with it any more, so the database stops holding it within RESEAL_INTERVAL_MS.
 * Once nothing is left under the old key, it can be removed.
 */
@Injectable()
export class WebhookSecretResealer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookSecretResealer.name);
  private readonly task = new PeriodicTask(
    { name: 'webhook secret reseal', intervalMs: RESEAL_INTERVAL_MS },
    async () => {
      await this.reseal();
    },
  );

  constructor(
    private readonly stored: BrandWebhookSecretsRepository,
    private readonly secrets: SecretBox,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
    this.task.runSoon();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /**
   * Rounds of BATCH until nothing is left under another key and no previous secret is past its
   * grace period; resolves how many values it moved and how many previous secrets it dropped.
   */
  async reseal(now = new Date()): Promise<{ resealed: number; dropped: number }> {
    const prefix = `v1.${this.secrets.currentKeyId}.`;
    const done = { resealed: 0, dropped: 0 };
    for (;;) {
      const found = await this.stored.findToReseal(prefix, now, BATCH);
      // The query already leaves the others out; checked again so that a server that ignored
      // the filter could not keep this loop going.
      const due = found.filter(
        (brand) =>
          this.isStale(brand.secret) ||
          this.isStale(brand.previous?.secret) ||
          isExpired(brand.previous, now),
      );
      let progress = 0;
      for (const brand of due) {
        const { resealed, dropped } = await this.resealBrand(brand, now);
        done.resealed += resealed;
        done.dropped += dropped;
        progress += resealed + dropped;
      }
      // A round that changed nothing would find the same brands again (values no key opens).
      if (due.length === 0 || found.length < BATCH || progress === 0) break;
    }
    if (done.resealed > 0)
      this.logger.log(`${done.resealed} webhook secrets resealed under key ${this.secrets.currentKeyId}`);
    if (done.dropped > 0)
      this.logger.log(`${done.dropped} replaced webhook secrets dropped: their grace period is over`);
    return done;
  }

  private isStale(stored: string | undefined): stored is string {
    return stored !== undefined && !this.secrets.isCurrent(stored);
  }

  /**
   * One brand's values. Each write is lost to a concurrent change of the webhook, which stored
   * values sealed under the current key.
   */
  private async resealBrand(
    { id, secret, previous }: StoredWebhookSecrets,
    now: Date,
  ): Promise<{ resealed: number; dropped: number }> {
    const done = { resealed: 0, dropped: 0 };
    const plaintext = this.isStale(secret) ? this.openOrWarn(id, secret) : undefined;
    if (
      plaintext !== undefined &&
      (await this.stored.replaceSecret(id, secret!, this.secrets.seal(plaintext), plaintext.slice(-4)))
    )
      done.resealed++;
    if (previous && isExpired(previous, now)) {
      if (await this.stored.dropPreviousSecret(id, previous.secret)) done.dropped++;
      return done;
    }
    const previousPlaintext =
      previous && this.isStale(previous.secret) ? this.openOrWarn(id, previous.secret) : undefined;
    if (
      previousPlaintext !== undefined &&
      (await this.stored.replacePreviousSecret(id, previous!.secret, this.secrets.seal(previousPlaintext)))
    )
      done.resealed++;
    return done;
  }

  /**
   * The plaintext, or undefined when no listed key opens it (sealed under a key removed from
   * WEBHOOK_SECRET_KEYS too early): that brand must set a new secret; the others are resealed
   * all the same.
   */
  private openOrWarn(brandId: string, stored: string): string | undefined {
    try {
      return this.secrets.open(stored);
    } catch (error) {
      // SecretBox's messages name the key id at most, never the secret.
      this.logger.warn(`a webhook secret of brand ${brandId} not resealed: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** A previous secret without an end (never written so) counts as over: nothing signs with it. */
function isExpired(previous: StoredWebhookSecrets['previous'], now: Date): boolean {
  return (
    previous !== undefined && (!previous.expiresAt || new Date(previous.expiresAt).getTime() <= now.getTime())
  );
}
