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
import { APP_CONFIG } from '@app/config';
import { DomainError, SUBJECTS } from '@app/contracts';
import { EventPublisher } from '@app/messaging';
import { GenerationMetrics } from '@app/metrics';
import { BrandsRepository, CodeInventoryRepository } from '@app/persistence';
import type { GeneratorConfig } from '../generator.config';

export interface GenerationRequest extends CodeFormatOptions {
  readonly count: number;
  readonly expiresAt?: Date;
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

/** A batch that inserted nothing this many times in a row means the space is saturated. */
const MAX_FRUITLESS_BATCHES = 20;

@Injectable()
export class CodeGenerationService {
  private readonly logger = new Logger(CodeGenerationService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: GeneratorConfig,
    private readonly brands: BrandsRepository,
    private readonly inventory: CodeInventoryRepository,
    private readonly events: EventPublisher,
    private readonly metrics: GenerationMetrics,
  ) {}

  /**
   * Stores exactly `count` new codes: batches are generated, inserted unordered, and whatever the
   * unique index refused as duplicates is generated again. Only one batch is in memory at a time.
   */
  async generate(brandId: string, request: GenerationRequest): Promise<GeneratedBatch> {
    const { count, expiresAt } = request;
    const format = this.checkRequest(request);
    const spaceKey = await this.reserve(brandId, format, count);

    const batchId = randomUUID();
    const createdAt = new Date();
    const generator = new CodeGenerator(format);
    let remaining = count;
    let fruitless = 0;
    try {
      while (remaining > 0) {
        const codes = generator.fill(Math.min(this.config.generation.batchSize, remaining));
        const { inserted } = await this.inventory.insertBatch({
          brandId,
          batchId,
          createdAt,
          expiresAt,
          codes,
        });
        remaining -= inserted;
        this.metrics.codesStored(inserted);
        fruitless = inserted === 0 ? fruitless + 1 : 0;
        if (fruitless === MAX_FRUITLESS_BATCHES) {
          throw new Error(
            `Code space of brand ${brandId} is saturated: ${MAX_FRUITLESS_BATCHES} batches were all duplicates`,
          );
        }
      }
    } finally {
      await this.brands.releaseCodeSpace(brandId, spaceKey, remaining);
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
    this.announce(batch);
    return batch;
  }

  /**
   * Refuses a request that can never succeed (too many codes, an expiry in the past, a bad
   * format) and returns its format: callers that write anything before generating (the
   * predecessor's route registers the brand) check first, so bad input changes nothing.
   */
  checkRequest(request: GenerationRequest): CodeFormat {
    const { count, expiresAt } = request;
    if (count > this.config.generation.maxCount) {
      throw new DomainError(
        'invalid_input',
        `count ${count} is above the limit of ${this.config.generation.maxCount} codes per request`,
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

  private announce(batch: GeneratedBatch): void {
    this.events
      .publish(SUBJECTS.codesGenerated, {
        eventId: randomUUID(),
        type: 'codes.generated',
        version: 1,
        brandId: batch.brandId,
        batchId: batch.batchId,
        count: batch.generated,
        generatedAt: batch.createdAt.toISOString(),
      })
      .catch((error: unknown) =>
        this.logger.warn(`codes.generated for ${batch.brandId} not published: ${String(error)}`),
      );
  }
}
