import { Inject, Injectable, Logger } from '@nestjs/common';
import { CapacityExceededError } from '@app/codegen';
import type { ReplenishPoolReplyV1 } from '@app/contracts';
import { BrandsRepository } from '@app/persistence';
import { CodeGenerationService } from '../generation/code-generation.service';
import {
  GENERATION_CONFIG,
  REPLENISH_CONFIG,
  type GenerationConfig,
  type ReplenishConfig,
} from '../generator.config';
import { QuotaExceededError } from '../quotas/quota-rules';

/**
 * Adds codes to a brand that asked for auto-replenishment, whether the trigger is a pool.low
 * event or a provider that found no code at all. A short per-brand cooldown, taken atomically
 * on the brand document, turns simultaneous triggers (several providers, an event and a
 * request) into one generation. The capacity rule and the brand's BRAND_MAX_CODES still apply:
 * at most what fits under both is added.
 */
@Injectable()
export class ReplenishmentService {
  private readonly logger = new Logger(ReplenishmentService.name);
  /** Replenishments running in this process: a trigger arriving meanwhile shares the result. */
  private readonly running = new Map<string, Promise<ReplenishPoolReplyV1>>();

  constructor(
    @Inject(REPLENISH_CONFIG) private readonly settings: ReplenishConfig,
    @Inject(GENERATION_CONFIG) private readonly generationSettings: GenerationConfig,
    private readonly brands: BrandsRepository,
    private readonly generation: CodeGenerationService,
  ) {}

  replenish(brandId: string, trigger: 'pool_low' | 'exhausted'): Promise<ReplenishPoolReplyV1> {
    let running = this.running.get(brandId);
    if (!running) {
      running = this.run(brandId, trigger).finally(() => this.running.delete(brandId));
      this.running.set(brandId, running);
    }
    return running;
  }

  private async run(brandId: string, trigger: 'pool_low' | 'exhausted'): Promise<ReplenishPoolReplyV1> {
    const reply = (outcome: ReplenishPoolReplyV1['outcome'], added = 0): ReplenishPoolReplyV1 => ({
      version: 1,
      brandId,
      outcome,
      added,
    });
    const brand = await this.brands.findById(brandId);
    if (!brand) return reply('brand_not_found');
    if (!brand.autoReplenish?.enabled) return reply('not_enabled');
    const turn = await this.brands.startReplenishment(brandId, new Date(), this.settings.cooldownMs);
    if (!turn) return reply('cooldown');
    // Never more than one generation request may ask for (GENERATION_MAX_COUNT).
    const count = turn.autoReplenish?.enabled
      ? Math.min(turn.autoReplenish.count, this.generationSettings.maxCount)
      : 0;
    if (count === 0) return reply('not_enabled');
    const added = await this.generateWithinCapacity(brandId, count);
    this.logger.log(`replenished brand ${brandId} (${trigger}): ${added} of ${count} codes added`);
    return added > 0 ? reply('replenished', added) : reply('capacity_exhausted');
  }

  private async generateWithinCapacity(brandId: string, count: number): Promise<number> {
    let wanted = count;
    // Each refusal says how much would fit; the next try asks for no more. Three tries: the code
    // space and the quota may each cut the count once, a third refusal means someone else took
    // the room meanwhile.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return (await this.generation.generate(brandId, { count: wanted })).generated;
      } catch (error) {
        if (!(error instanceof CapacityExceededError || error instanceof QuotaExceededError)) throw error;
        const remaining = Number(error.details?.remaining ?? 0);
        if (!Number.isSafeInteger(remaining) || remaining <= 0) return 0;
        wanted = Math.min(remaining, wanted);
      }
    }
    return 0;
  }
}
