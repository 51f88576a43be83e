/**
 * The per-brand quotas as plain rules and answers: what fits under BRAND_MAX_CODES, and the
 * errors a brand over a quota gets. No Nest, MongoDB or NATS here.
 */
import { DomainError } from '@app/contracts';

/**
 * A client told "too many at once" cannot know when a job or an export will end; these are a
 * reasonable first wait, not a promise. Jobs take longer than exports, hence the longer wait.
 */
export const JOB_RETRY_AFTER_SECONDS = 10;
export const EXPORT_RETRY_AFTER_SECONDS = 5;

/** A brand's codes as the stored-codes quota sees them. */
export interface CodeUsage {
  /** Codes stored, every status. */
  readonly stored: number;
  /** Codes its unfinished jobs have still to store (reserved by the jobs, not yet in `stored`). */
  readonly pending: number;
}

/** How many more codes fit under `limit` (null: no limit, Infinity). */
export function remainingCodes(limit: number | null, usage: CodeUsage): number {
  if (limit === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, limit - usage.stored - usage.pending);
}

/** An import that went over BRAND_MAX_CODES part-way, and was taken back (CodeImportService). */
export interface ImportTakenBack {
  /** Codes it had stored when it went over; the rest of the upload was not read. */
  readonly imported: number;
  /** Of those, the codes claimed meanwhile: a claimed code is never deleted, so they stay. */
  readonly kept: number;
}

/**
 * BRAND_MAX_CODES would be passed: the request is refused whole and nothing is stored.
 * `requested` is left out when the count is not known (an import refused before it is read, or
 * taken back part-way: `takenBack` then says what it had stored and what of it stays).
 */
export class QuotaExceededError extends DomainError {
  constructor(
    brandId: string,
    limit: number,
    usage: CodeUsage,
    { requested, takenBack }: { requested?: number; takenBack?: ImportTakenBack } = {},
  ) {
    const remaining = remainingCodes(limit, usage);
    const pendingText = usage.pending > 0 ? ` and ${usage.pending} still to come from its jobs` : '';
    const fit = remaining === 0 ? 'no more fit' : `${remaining} more fit`;
    let outcome = 'Nothing was stored';
    if (takenBack) {
      outcome =
        `The import went over after storing ${takenBack.imported} codes and was taken back` +
        (takenBack.kept === 0
          ? ': nothing was kept'
          : `, but for ${takenBack.kept} claimed meanwhile, which stay`);
    }
    super(
      'quota_exceeded',
      `Brand ${brandId} may store at most ${limit} codes (BRAND_MAX_CODES); it has ${usage.stored} ` +
        `stored${pendingText}, so ${fit}${requested === undefined ? '' : `, not ${requested}`}. ${outcome}`,
      {
        limit,
        stored: usage.stored,
        pending: usage.pending,
        remaining,
        ...(requested === undefined ? {} : { requested }),
        ...(takenBack === undefined ? {} : { imported: takenBack.imported, kept: takenBack.kept }),
      },
    );
  }
}

/** Refuses `requested` more codes when they do not fit; no limit refuses nothing. */
export function assertCodesFit(
  brandId: string,
  limit: number | null,
  usage: CodeUsage,
  requested: number,
): void {
  if (limit !== null && requested > remainingCodes(limit, usage)) {
    throw new QuotaExceededError(brandId, limit, usage, { requested });
  }
}

/** The brand runs as many jobs as BRAND_MAX_CONCURRENT_JOBS allows. */
export function tooManyJobsError(brandId: string, limit: number, unfinished: number): DomainError {
  return new DomainError(
    'too_many_jobs',
    `Brand ${brandId} has ${unfinished} generation ${unfinished === 1 ? 'job' : 'jobs'} queued or ` +
      `running, the most it may have at once (BRAND_MAX_CONCURRENT_JOBS=${limit}); retry when one ` +
      `has finished (GET /v1/jobs/{jobId}), in ${JOB_RETRY_AFTER_SECONDS} s or later`,
    { limit, unfinished, retryAfterSeconds: JOB_RETRY_AFTER_SECONDS },
  );
}

/** The brand streams as many exports from this replica as BRAND_MAX_CONCURRENT_EXPORTS allows. */
export function tooManyExportsError(brandId: string, limit: number): DomainError {
  return new DomainError(
    'too_many_exports',
    `Brand ${brandId} already has ${limit} CSV ${limit === 1 ? 'export' : 'exports'} in progress, ` +
      `the most at once (BRAND_MAX_CONCURRENT_EXPORTS=${limit}); retry when one has ended, in ` +
      `${EXPORT_RETRY_AFTER_SECONDS} s or later`,
    { limit, retryAfterSeconds: EXPORT_RETRY_AFTER_SECONDS },
  );
}

/**
 * Slots per key (a brand), in this process: taken when something starts, given back when it
 * ends. The release a caller gets works once, so a stream that both errors and closes gives its
 * slot back once only.
 */
export class KeyedSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be at least 1');
  }

  inUse(key: string): number {
    return this.held.get(key) ?? 0;
  }

  /** A slot of `key` and its release, or null when all of the key's slots are taken. */
  tryTake(key: string): (() => void) | null {
    const taken = this.inUse(key);
    if (taken >= this.limit) return null;
    this.held.set(key, taken + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = this.inUse(key) - 1;
      if (now <= 0) this.held.delete(key);
      else this.held.set(key, now);
    };
  }
}
