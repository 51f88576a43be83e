import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { COMMANDS } from '@app/contracts';
import { CommandClient, CommandFailedError } from '@app/messaging';
import type { ProviderConfig } from '../provider.config';
import { BrandSettingsCache } from './brand-settings.cache';

/**
 * Asks the generator, over NATS request/reply, to replenish a brand that ran out of codes, and
 * waits at most REPLENISH_WAIT_MS. Claims of one brand that run out together share one request.
 * Any failure (no generator, timeout, NATS down) is logged and counts as "nothing added", so
 * the claim ends in a 409, never a hang or a 500.
 */
@Injectable()
export class PoolReplenisher {
  private readonly logger = new Logger(PoolReplenisher.name);
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: ProviderConfig,
    private readonly settings: BrandSettingsCache,
    private readonly commands: CommandClient,
  ) {}

  /**
   * Resolves true when a claim is worth trying again: codes were added, or another
   * replenishment just ran (cooldown); false when nothing came of it, whatever the reason.
   */
  replenish(brandId: string): Promise<boolean> {
    let request = this.inFlight.get(brandId);
    if (!request) {
      request = this.request(brandId).finally(() => this.inFlight.delete(brandId));
      this.inFlight.set(brandId, request);
    }
    return request;
  }

  private async request(brandId: string): Promise<boolean> {
    // Brands without auto-replenish would only get "not_enabled": skip the round trip.
    if (!(await this.settings.get(brandId))?.autoReplenish?.enabled) return false;
    try {
      const reply = await this.commands.request(
        COMMANDS.replenishPool,
        { version: 1, brandId, reason: 'exhausted', requestedAt: new Date().toISOString() },
        this.config.pool.replenishWaitMs,
      );
      this.logger.log(`replenish ${brandId}: ${reply.outcome}, ${reply.added} codes added`);
      return reply.added > 0 || reply.outcome === 'cooldown';
    } catch (error) {
      if (error instanceof CommandFailedError) {
        this.logger.error(
          `brand ${brandId} ran out of codes and could not be replenished: ${explain(error)}; answering 409`,
        );
        return false;
      }
      throw error;
    }
  }
}

function explain(error: CommandFailedError): string {
  switch (error.reason) {
    case 'no_responders':
      return 'no generator is subscribed to replenish requests (none running?)';
    case 'timeout':
      return 'no generator answered in time';
    case 'nats_unavailable':
      return 'NATS is not connected';
    case 'remote_error':
    case 'invalid_reply':
    case 'failed':
      return error.message;
  }
}
