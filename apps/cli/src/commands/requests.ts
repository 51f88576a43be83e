/** Pure mapping of flags to API requests, and the parsers commander calls for typed flags. */
import { extname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { GenerateBody } from '../api/types';

/** For commander's `.argParser`: a whole number from min up, or a usage error naming the flag. */
export const intAtLeast =
  (min: number) =>
  (raw: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got "${raw}"`);
    }
    return value;
  };

export interface GenerateFlags {
  count: number;
  length?: number;
  prefix?: string;
  alphabet?: string;
  expiresAt?: string;
}

/** POST /v1/brands/{id}/codes body: only the fields given, so the server's defaults apply. */
export function generateBody(flags: GenerateFlags): GenerateBody {
  return {
    count: flags.count,
    ...(flags.length !== undefined ? { length: flags.length } : {}),
    ...(flags.prefix !== undefined ? { prefix: flags.prefix } : {}),
    ...(flags.alphabet !== undefined ? { alphabet: flags.alphabet } : {}),
    ...(flags.expiresAt !== undefined ? { expiresAt: flags.expiresAt } : {}),
  };
}

export const IMPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const CONTENT_TYPES: Readonly<Record<ImportFormat, string>> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
};

/** --format wins; else the file's extension (.ndjson/.jsonl), else CSV (the common case). */
export function importFormat(file: string, flag: ImportFormat | undefined): ImportFormat {
  if (flag) return flag;
  const ext = extname(file).toLowerCase();
  return ext === '.ndjson' || ext === '.jsonl' ? 'ndjson' : 'csv';
}

export const importContentType = (format: ImportFormat): string => CONTENT_TYPES[format];

export const EXPORT_STATUSES = ['all', 'available', 'claimed', 'expired', 'redeemed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export interface ExportFlags {
  status: ExportStatus;
  campaign?: string;
  batch?: string;
  job?: string;
}

export function exportPath(brandId: string, flags: ExportFlags): string {
  const query = new URLSearchParams({ status: flags.status });
  if (flags.campaign !== undefined) query.set('campaignId', flags.campaign);
  if (flags.batch !== undefined) query.set('batchId', flags.batch);
  if (flags.job !== undefined) query.set('jobId', flags.job);
  return `/v1/brands/${encodeURIComponent(brandId)}/codes.csv?${query.toString()}`;
}

export interface BrandStats {
  total: number;
  available: number;
  claimed: number;
  expired?: number;
  redeemed?: number;
}

/**
 * How many rows an export will have, from the brand's stats, for the bar's total and ETA; null
 * when the stats cannot tell (a campaign, batch or job filter: they count the whole brand).
 */
export function expectedExportRows(stats: BrandStats, flags: ExportFlags): number | null {
  if (flags.campaign !== undefined || flags.batch !== undefined || flags.job !== undefined) return null;
  switch (flags.status) {
    case 'all':
      return stats.total;
    case 'available':
      return stats.available;
    case 'claimed':
      return stats.claimed;
    case 'expired':
      return stats.expired ?? null;
    case 'redeemed':
      return stats.redeemed ?? null;
  }
}
