import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WebhookSettings } from '@app/persistence';
import { WEBHOOK_CONFIG, type WebhookConfig } from '../generator.config';
import { SecretBox } from './secret-box';

/** The secret fields of a brand's stored webhook settings. */
export type StoredSecretFields = Pick<
  WebhookSettings,
  'secret' | 'secretHint' | 'previousSecret' | 'previousSecretHint' | 'previousSecretExpiresAt'
>;

/** What the API shows of a secret: its last four characters. */
const hintOf = (secret: string): string => secret.slice(-4);

/**
 * A brand's webhook secrets through their life: sealed when set, the replaced one kept signing
 * for WEBHOOK_SECRET_ROTATION_GRACE_SECONDS after a rotation (as a replaced API key keeps
 * working), and opened for signing.
 */
@Injectable()
export class WebhookSecrets {
  private readonly logger = new Logger(WebhookSecrets.name);

  constructor(
    private readonly box: SecretBox,
    @Inject(WEBHOOK_CONFIG) private readonly settings: Pick<WebhookConfig, 'secretRotationGraceMs'>,
  ) {}

  /** A new webhook's secret, as stored: sealed, never in clear. */
  sealed(secret: string): StoredSecretFields {
    return { secret: this.box.seal(secret), secretHint: hintOf(secret) };
  }

  /**
   * The secret fields once the brand set `secret` on a webhook whose secrets are `current`: the
   * replaced secret signs too until the grace period ends. Only one is kept: a rotation during
   * another's grace period ends that one. Setting the secret the webhook already has changes
   * nothing (and ends no grace period). A current secret that cannot be opened any more (sealed
   * under a key WEBHOOK_SECRET_KEYS no longer lists) is replaced without being kept: setting a
   * new secret is how a brand recovers from that, so it must not fail.
   */
  rotated(current: StoredSecretFields, secret: string, now = new Date()): StoredSecretFields {
    const replaced = this.opened(current.secret, 'current secret, replaced without a grace period');
    if (replaced === undefined) return this.sealed(secret);
    if (sameSecret(replaced, secret)) return pickSecretFields(current);
    const graceMs = this.settings.secretRotationGraceMs;
    if (graceMs <= 0) return this.sealed(secret);
    return {
      ...this.sealed(secret),
      // Sealed again: a secret stored before sealing existed is not kept in clear any longer.
      previousSecret: this.box.seal(replaced),
      previousSecretHint: hintOf(replaced),
      previousSecretExpiresAt: new Date(now.getTime() + graceMs),
    };
  }

  /**
   * The secrets a delivery is signed with now: the current one first, then the replaced one in
   * its grace period. A replaced secret that cannot be opened is left out rather than failing
   * every delivery until its grace period ends: receivers already on the current secret verify.
   */
  signingSecrets(webhook: StoredSecretFields, now = new Date()): [string, ...string[]] {
    const current = this.box.open(webhook.secret);
    if (!isInGrace(webhook, now)) return [current];
    const previous = this.opened(webhook.previousSecret!, 'replaced secret, left out of the signature');
    return previous === undefined ? [current] : [current, previous];
  }

  /** The plaintext, or undefined (with a warning naming what happens instead, never the value). */
  private opened(stored: string, instead: string): string | undefined {
    try {
      return this.box.open(stored);
    } catch (error) {
      // SecretBox's messages name the key id at most, never the secret.
      this.logger.warn(`cannot open the webhook ${instead}: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** Constant time over digests of equal length, whatever the lengths of the secrets. */
function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Whether the webhook's replaced secret still signs at `now`. */
export function isInGrace(
  webhook: Pick<WebhookSettings, 'previousSecret' | 'previousSecretExpiresAt'>,
  now: Date,
): boolean {
  return (
    webhook.previousSecret !== undefined &&
    webhook.previousSecretExpiresAt !== undefined &&
    new Date(webhook.previousSecretExpiresAt).getTime() > now.getTime()
  );
}

function pickSecretFields(webhook: StoredSecretFields): StoredSecretFields {
  const { secret, secretHint, previousSecret, previousSecretHint, previousSecretExpiresAt } = webhook;
  return {
    secret,
    ...(secretHint !== undefined ? { secretHint } : {}),
    ...(previousSecret !== undefined ? { previousSecret } : {}),
    ...(previousSecretHint !== undefined ? { previousSecretHint } : {}),
    ...(previousSecretExpiresAt !== undefined ? { previousSecretExpiresAt } : {}),
  };
}
