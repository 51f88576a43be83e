import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { BrandsRepository } from '@app/persistence';
import { PeriodicTask } from '@app/scheduling';
import { SecretBox } from './secret-box';

const RESEAL_INTERVAL_MS = 60_000;
const BATCH = 100;

/**
 * Moves stored webhook secrets to the current key of WEBHOOK_SECRET_KEYS: after a key rotation
 * (a new key listed first, the old one still listed to open what it sealed) and for secrets
 * stored before sealing existed. Once nothing is left under the old key, it can be removed.
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
    private readonly brands: BrandsRepository,
    private readonly secrets: SecretBox,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
    this.task.runSoon();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Rounds of BATCH until nothing is left under another key. */
  async reseal(): Promise<number> {
    const prefix = `v1.${this.secrets.currentKeyId}.`;
    let resealed = 0;
    for (;;) {
      const found = await this.brands.findWebhookSecretsNotUnder(prefix, BATCH);
      // The query already leaves those out; checked again so that a server that ignored the
      // filter could not keep this loop going.
      const stale = found.filter(({ secret }) => !this.secrets.isCurrent(secret));
      for (const { id, secret } of stale) {
        const plaintext = this.secrets.open(secret);
        // Lost to a concurrent change of the webhook: that one is sealed under the current key.
        const sealed = this.secrets.seal(plaintext);
        if (await this.brands.replaceWebhookSecret(id, secret, sealed, plaintext.slice(-4))) resealed++;
      }
      if (stale.length === 0 || found.length < BATCH) break;
    }
    if (resealed > 0)
      this.logger.log(`${resealed} webhook secrets resealed under key ${this.secrets.currentKeyId}`);
    return resealed;
  }
}
