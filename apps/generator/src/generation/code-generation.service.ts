import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CapacityExceededError,
  CodeGenerator,
  checkCapacity,
  codeFormatKey,
  resolveCodeFormat,
  type CodeFormat,
  type CodeFormatOptions,
} from '@app/codegen';
import { DomainError, SUBJECTS } from '@app/contracts';
import { EventPublisher } from '@app/messaging';
import { GenerationMetrics } from '@app/metrics';
import { BrandsRepository, CodeInventoryRepository } from '@app/persistence';
import { GENERATION_CONFIG, type GenerationConfig } from '../generator.config';
import { BrandQuotas } from '../quotas/brand-quotas';
import { errorMessage } from '@app/scheduling';

export interface GenerationRequest extends CodeFormatOptions {
  readonly count: number;
  readonly expiresAt?: Date;
  /** The campaign the codes go to, as stored: absent for the default campaign (storedCampaignId). */
  readonly campaignId?: string;
}

export interface GeneratedBatch {
  readonly batchId: string;
  readonly brandId: string;
  readonly requested: number;
  readonly generated: number;
  readonly format: CodeFormat;
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
}

export interface StoreTarget {
  readonly brandId: string;
  /** As stored: absent for the default campaign. */
  readonly campaignId?: string;
  readonly batchId: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  readonly chunk?: number;
  readonly format: CodeFormat;
  readonly count: number;
}

/** Nothing but duplicates came back, batch after batch: no more room in the code space. */
export class CodeSpaceSaturatedError extends Error {
  override readonly name = 'CodeSpaceSaturatedError';
}

/** storeExactly failed after storing `stored` codes (they stay: they are valid, unique codes). */
export class PartialStoreError extends Error {
  override readonly name = 'PartialStoreError';
  constructor(
    readonly stored: number,
    override readonly cause: unknown,
  ) {
    super(errorMessage(cause));
  }
}

/** A batch that inserted nothing this many times in a row means the space is saturated. */
const MAX_FRUITLESS_BATCHES = 20;

@Injectable()
export class CodeGenerationService {
  private readonly logger = new Logger(CodeGenerationService.name);

  constructor(
    @Inject(GENERATION_CONFIG) private readonly settings: GenerationConfig,
    private readonly brands: BrandsRepository,
    private readonly inventory: CodeInventoryRepository,
    private readonly events: EventPublisher,
    private readonly metrics: GenerationMetrics,
    private readonly quotas: BrandQuotas,
  ) {
    events.declare(SUBJECTS.codesGenerated);
  }

  /**
   * Stores exactly `count` new codes: batches are generated, inserted unordered, and whatever the
   * unique index refused as duplicates is generated again. Only one batch is in memory at a time.
   */
  async generate(brandId: string, request: GenerationRequest): Promise<GeneratedBatch> {
    const { count, expiresAt, campaignId } = request;
    const format = this.checkRequest(request);
    await this.quotas.assertCodesFit(brandId, count);
    const spaceKey = await this.reserve(brandId, format, count);

    const batchId = randomUUID();
    const createdAt = new Date();
    let stored = 0;
    try {
      stored = await this.storeExactly({ brandId, campaignId, batchId, createdAt, expiresAt, format, count });
    } catch (error) {
      if (!(error instanceof PartialStoreError)) throw error;
      stored = error.stored;
      throw error.cause;
    } finally {
      await this.brands.releaseCodeSpace(brandId, spaceKey, count - stored);
    }

    const batch = {
      batchId,
      brandId,
      requested: count,
      generated: count,
      format,
      expiresAt: expiresAt ?? null,
      createdAt,
    };
    this.announceStored(batch.brandId, batch.batchId, batch.generated, batch.createdAt);
    return batch;
  }

  /**
   * Inserts new codes until exactly `count` were stored: batches are generated, inserted
   * unordered, and whatever the unique index refused as duplicates is generated again. Only one
   * batch is in memory at a time. `shouldStop` is asked between batches (a cancelled job); the
   * number stored so far is returned then. A failure after some batches throws a
   * PartialStoreError carrying how many were stored.
   */
  async storeExactly(target: StoreTarget, shouldStop?: () => Promise<boolean>): Promise<number> {
    const generator = new CodeGenerator(target.format);
    let stored = 0;
    let fruitless = 0;
    try {
      while (stored < target.count) {
        if (shouldStop && (await shouldStop())) return stored;
        const codes = generator.fill(Math.min(this.settings.batchSize, target.count - stored));
        const { inserted } = await this.inventory.insertBatch({
          brandId: target.brandId,
          campaignId: target.campaignId,
          batchId: target.batchId,
          createdAt: target.createdAt,
          expiresAt: target.expiresAt,
          chunk: target.chunk,
          codes,
        });
        stored += inserted;
        this.metrics.codesStored(inserted);
        fruitless = inserted === 0 ? fruitless + 1 : 0;
        if (fruitless === MAX_FRUITLESS_BATCHES) {
          throw new CodeSpaceSaturatedError(
            `Code space of brand ${target.brandId} is saturated: ${MAX_FRUITLESS_BATCHES} batches were all duplicates`,
          );
        }
      }
      return stored;
    } catch (error) {
      throw new PartialStoreError(stored, error);
    }
  }

  /** The reservation key of a format (for callers that reserve themselves, e.g. jobs). */
  async reserveFor(brandId: string, format: CodeFormat, count: number): Promise<string> {
    return this.reserve(brandId, format, count);
  }

  /**
   * Refuses a request that can never succeed (too many codes, an expiry in the past, a bad
   * format) and returns its format: callers that write anything before generating (the
   * predecessor's route registers the brand) check first, so bad input changes nothing.
   */
  checkRequest(request: GenerationRequest): CodeFormat {
    const { count, expiresAt } = request;
    if (count > this.settings.maxCount) {
      throw new DomainError(
        'invalid_input',
        `count ${count} is above the limit of ${this.settings.maxCount} codes per request`,
      );
    }
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new DomainError('invalid_input', 'expiresAt must be in the future');
    }
    return resolveCodeFormat(request);
  }

  /** Reserves room in the brand's code space, atomically, or refuses with the numbers. */
  private async reserve(brandId: string, format: CodeFormat, count: number): Promise<string> {
    const spaceKey = codeFormatKey(format);
    const { limit } = checkCapacity(format, 0, 0);
    const storableLimit = limit > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(limit);
    const { reserved, inUse } = await this.brands.reserveCodeSpace(brandId, spaceKey, count, storableLimit);
    if (!reserved) throw new CapacityExceededError(checkCapacity(format, inUse, count));
    return spaceKey;
  }

  /** codes.generated, best effort: a lost announcement loses no codes. */
  announceStored(brandId: string, batchId: string, count: number, at: Date): void {
    this.events
      .publish(SUBJECTS.codesGenerated, {
        eventId: randomUUID(),
        type: 'codes.generated',
        version: 1,
        brandId,
        batchId,
        count,
        generatedAt: at.toISOString(),
      })
      .catch((error: unknown) =>
        this.logger.warn(`codes.generated for ${brandId} not published: ${String(error)}`),
      );
  }
}
