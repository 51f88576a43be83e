/** What the claim audit reads and reports: pure types, no MongoDB, Nest or NATS. */
import type { RedemptionAnswer } from './audit-redemptions';

/** One code document, as far as the invariants care. */
export interface CodeRecord {
  readonly brandId: string;
  /** Absent (or null) for the brand's default campaign. */
  readonly campaignId?: string | null;
  readonly code: string;
  /** 'available', 'claimed', 'expired' or 'redeemed'; anything else is itself a violation. */
  readonly status: string;
  readonly holder?: string | null;
  readonly claimedBy?: string | null;
  /** The current redemption of a redeemed code. */
  readonly redemption?: { readonly orderId: string } | null;
  /** Redemptions of the code rolled back so far. */
  readonly rollbacks?: number | null;
}

/**
 * What one claim request was answered: `created` a new claim (v1: 201), `held` the code the user
 * already had (v1: 200), `exhausted` no code left (409), `failed` anything else (5xx, timeouts,
 * refused connections): a failed request may or may not have claimed a code.
 */
export type AnswerOutcome = 'created' | 'held' | 'exhausted' | 'failed';

export interface ClaimAnswer {
  readonly brandId: string;
  /** The campaign claimed in; absent for the default campaign (the brand-level route). */
  readonly campaignId?: string;
  readonly userId: string;
  readonly outcome: AnswerOutcome;
  /** The code handed out, for `created` and `held`. */
  readonly code?: string;
}

export interface ClaimAuditInput {
  /** Every code document of the audited brands, read after the run. */
  readonly codes: readonly CodeRecord[];
  /** Every answer given during the run for the audited brands. */
  readonly answers: readonly ClaimAnswer[];
  /** The brands to audit; by default every brand that appears in `codes` or `answers`. */
  readonly brandIds?: readonly string[];
  /** Claimed codes per brand before the run (default 0): new claims = claimed now − before. */
  readonly claimedBefore?: Readonly<Record<string, number>>;
  /** How many codes each brand must have in total (what was generated for it). */
  readonly expectedTotals?: Readonly<Record<string, number>>;
  /** The `holder` of a code nobody has claimed (the persistence lib's convention). */
  readonly unclaimedHolder: (code: string) => string;
  /**
   * Codes were added to the brands during the run: a 409 while codes are left is then no proof of
   * a lost claim, because those codes may have arrived after the 409.
   */
  readonly codesAddedDuringRun?: boolean;
  /** How many codes of a campaign a user may hold, keyed `${brandId}/${campaignId}` (default 1). */
  readonly perUserLimits?: Readonly<Record<string, number>>;
  /** Every answer redemptions and rollbacks of the audited brands got during the run. */
  readonly redemptions?: readonly RedemptionAnswer[];
}

export const VIOLATION_KINDS = [
  /** Two users were told the same code of a brand. */
  'code_given_to_two_users',
  /** One user holds, or was told, more codes of one campaign than its per-user limit (1 unless stated). */
  'user_holds_two_codes',
  /** One user was told "new claim" more often than the campaign's per-user limit. */
  'repeated_new_claim',
  /** An answer names a code the brand does not have. */
  'claimed_code_missing',
  /** An answer names a code that belongs to another brand. */
  'claimed_code_of_other_brand',
  /** An answer names a code that the database does not show as claimed by that user. */
  'answer_disagrees_with_database',
  /** The same code string is stored twice for one brand. */
  'duplicate_code',
  /** A document whose status, holder and claimant contradict each other. */
  'inconsistent_document',
  /** total ≠ available + claimed + expired + redeemed, or total ≠ the expected number of codes. */
  'counts_do_not_add_up',
  /** New claimed documents ≠ "new claim" answers: a claim nobody was told about, or the reverse. */
  'new_claims_mismatch',
  /** "No codes left" was answered although codes of the brand are still available. */
  'exhausted_while_available',
  /** Two redemptions of one code were both told "redeemed" with no rollback between them. */
  'code_redeemed_twice',
  /** A redemption or rollback answer that the code as stored contradicts. */
  'redemption_disagrees_with_database',
] as const;

export type ViolationKind = (typeof VIOLATION_KINDS)[number];

export interface ClaimViolation {
  readonly kind: ViolationKind;
  readonly brandId: string;
  readonly message: string;
}

export type AnswerCounts = Record<AnswerOutcome, number>;

export interface BrandAudit {
  readonly brandId: string;
  readonly total: number;
  readonly available: number;
  readonly claimed: number;
  /** Never claimed and marked expired by the generator's retention sweep: not claimable. */
  readonly expired: number;
  /** Claimed, then redeemed with an order: still the user's. */
  readonly redeemed: number;
  /** Claimed or redeemed now minus claimed or redeemed before the run. */
  readonly newClaims: number;
  readonly answers: AnswerCounts;
}

export interface ClaimAuditReport {
  readonly ok: boolean;
  readonly violations: readonly ClaimViolation[];
  readonly brands: readonly BrandAudit[];
  /** Sums over the audited brands. */
  readonly totals: Omit<BrandAudit, 'brandId'>;
}
