import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, storedCampaignId } from '@app/contracts';
import { GenerationMetrics } from '@app/metrics';
import { CodeInventoryRepository } from '@app/persistence';
import { CodeGenerationService } from '../generation/code-generation.service';
import { GENERATION_CONFIG, type GenerationConfig } from '../generator.config';
import { BrandQuotas } from '../quotas/brand-quotas';
import { QuotaExceededError } from '../quotas/quota-rules';
import {
  validateImportEntry,
  type RawImportEntry,
  type RejectedImportEntry,
  type ValidImportEntry,
} from './import-entry';

/** The report lists this many rejections at most; the counts cover them all. */
export const REJECTIONS_LISTED = 100;

export interface ImportReport {
  readonly importId: string;
  readonly brandId: string;
  /** Only for an import into a campaign named in the route. */
  readonly campaignId?: string;
  /** Entries read: non-blank lines after the header, or array elements. */
  readonly lines: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly rejections: readonly RejectedImportEntry[];
  /** More rejections than listed. */
  readonly truncated: boolean;
}

/** The import stopped early (too big); what it stored until then stays, as the report says. */
export class ImportStoppedError extends DomainError {
  constructor(cause: DomainError, report: ImportReport) {
    super(
      cause.code,
      `${cause.message}; stopped after ${report.lines} lines, ${report.accepted} codes stored`,
      {
        report,
      },
    );
  }
}

/**
 * Stores codes made elsewhere: entries are validated one by one, the valid ones inserted in
 * batches, and whatever the unique index refuses (a code already stored, or one earlier in the
 * same file) is reported as a duplicate of its line. Only one batch is in memory at a time.
 */
@Injectable()
export class CodeImportService {
  constructor(
    @Inject(GENERATION_CONFIG) private readonly settings: GenerationConfig,
    private readonly inventory: CodeInventoryRepository,
    private readonly generation: CodeGenerationService,
    private readonly metrics: GenerationMetrics,
    private readonly quotas: BrandQuotas,
  ) {}

  async import(
    brandId: string,
    entries: AsyncIterable<RawImportEntry> | Iterable<RawImportEntry>,
    campaignId?: string,
  ): Promise<ImportReport> {
    // Before a line is read: a brand at its quota uploads nothing for nothing.
    const room = await this.quotas.codesRoom(brandId);
    if (room && room.remaining === 0) throw new QuotaExceededError(brandId, room.limit, room.usage);
    const importId = randomUUID();
    const createdAt = new Date();
    const { maxCount, batchSize } = this.settings;
    const rejections: RejectedImportEntry[] = [];
    let lines = 0;
    let accepted = 0;
    let rejected = 0;
    let batch: ValidImportEntry[] = [];

    const reject = (rejection: RejectedImportEntry) => {
      rejected++;
      if (rejections.length < REJECTIONS_LISTED) rejections.push(rejection);
    };
    const flush = async () => {
      const current = batch;
      batch = [];
      const refused = await this.inventory.insertImported({
        brandId,
        ...(campaignId !== undefined ? { campaignId: storedCampaignId(campaignId) } : {}),
        batchId: importId,
        createdAt,
        codes: current,
      });
      current.forEach((entry, i) => {
        if (refused.has(i)) reject({ line: entry.line, code: entry.code, reason: 'duplicate' });
      });
      accepted += current.length - refused.size;
      this.metrics.codesStored(current.length - refused.size);
    };
    // Counted after each insert, so that duplicates (refused by the index) do not count. An import
    // that goes over is taken back, as a quota refusal stores nothing; but a code of it claimed
    // meanwhile stays (claimed codes are never deleted), and the error says how many did. What
    // the import asked for in all is not known: the rest of the upload is not read.
    const refuseIfOverQuota = async () => {
      if (!room || accepted <= room.remaining) return;
      const deleted = await this.inventory.deleteUnclaimedOfBatch(brandId, importId);
      throw new QuotaExceededError(brandId, room.limit, room.usage, {
        takenBack: { imported: accepted, kept: accepted - deleted },
      });
    };
    const report = (): ImportReport => ({
      importId,
      brandId,
      ...(campaignId !== undefined ? { campaignId } : {}),
      lines,
      accepted,
      rejected,
      rejections: [...rejections].sort((a, b) => a.line - b.line),
      truncated: rejected > rejections.length,
    });

    try {
      for await (const entry of entries) {
        if (lines === maxCount) {
          throw new DomainError(
            'payload_too_large',
            `The import holds more than ${maxCount} codes (GENERATION_MAX_COUNT)`,
          );
        }
        lines++;
        const checked = validateImportEntry(entry, createdAt);
        if ('rejected' in checked) reject(checked.rejected);
        else batch.push(checked.ok);
        if (batch.length >= batchSize) {
          await flush();
          await refuseIfOverQuota();
        }
      }
      await flush();
      await refuseIfOverQuota();
    } catch (error) {
      if (error instanceof DomainError && error.code === 'payload_too_large') {
        await flush();
        await refuseIfOverQuota();
        this.announce(brandId, importId, accepted, createdAt);
        throw new ImportStoppedError(error, report());
      }
      throw error;
    }
    this.announce(brandId, importId, accepted, createdAt);
    return report();
  }

  private announce(brandId: string, importId: string, accepted: number, at: Date): void {
    if (accepted > 0) this.generation.announceStored(brandId, importId, accepted, at);
  }
}
