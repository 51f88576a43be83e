/**
 * The claim invariants, checked from what the database holds after a run and what the callers
 * were told during it. Pure: the caller reads the documents (see claims-in-database.ts) and
 * collects the answers; nothing here touches MongoDB, Nest or NATS.
 */

/** One code document, as far as the invariants care. */
export interface CodeRecord {
  readonly brandId: string;
  readonly code: string;
  /** 'available', 'claimed' or 'expired'; anything else is itself a violation. */
  readonly status: string;
  readonly holder?: string | null;
  readonly claimedBy?: string | null;
}

/**
 * What one claim request was answered: `created` a new claim (v1: 201), `held` the code the user
 * already had (v1: 200), `exhausted` no code left (409), `failed` anything else (5xx, timeouts,
 * refused connections): a failed request may or may not have claimed a code.
 */
export type AnswerOutcome = 'created' | 'held' | 'exhausted' | 'failed';

export interface ClaimAnswer {
  readonly brandId: string;
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
}

export const VIOLATION_KINDS = [
  /** Two users were told the same code of a brand. */
  'code_given_to_two_users',
  /** One user holds, or was told, two different codes of one brand. */
  'user_holds_two_codes',
  /** One user was told "new claim" twice for one brand. */
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
  /** total ≠ available + claimed + expired, or total ≠ the expected number of codes. */
  'counts_do_not_add_up',
  /** New claimed documents ≠ "new claim" answers: a claim nobody was told about, or the reverse. */
  'new_claims_mismatch',
  /** "No codes left" was answered although codes of the brand are still available. */
  'exhausted_while_available',
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
  /** Claimed now minus claimed before the run. */
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

const noAnswers = (): AnswerCounts => ({ created: 0, held: 0, exhausted: 0, failed: 0 });
const keyOf = (brandId: string, item: string) => `${brandId}\u0000${item}`;

/** A map of sets that keeps insertion order, for grouping without sorting. */
class Groups<V> {
  private readonly map = new Map<string, { brandId: string; item: string; values: Set<V> }>();

  add(brandId: string, item: string, value: V): void {
    const key = keyOf(brandId, item);
    let group = this.map.get(key);
    if (!group) this.map.set(key, (group = { brandId, item, values: new Set() }));
    group.values.add(value);
  }

  *withMoreThanOne(): Generator<{ brandId: string; item: string; values: V[] }> {
    for (const group of this.map.values()) {
      if (group.values.size > 1) yield { ...group, values: [...group.values] };
    }
  }
}

interface MutableBrandAudit {
  total: number;
  available: number;
  claimed: number;
  expired: number;
  answers: AnswerCounts;
}

export function auditClaims(input: ClaimAuditInput): ClaimAuditReport {
  const violations: ClaimViolation[] = [];
  const violation = (kind: ViolationKind, brandId: string, message: string) =>
    violations.push({ kind, brandId, message });

  const brandIds = input.brandIds ?? [
    ...new Set([...input.codes.map((c) => c.brandId), ...input.answers.map((a) => a.brandId)]),
  ];
  const brands = new Map<string, MutableBrandAudit>(
    brandIds.map((id) => [id, { total: 0, available: 0, claimed: 0, expired: 0, answers: noAnswers() }]),
  );

  // The database side: one pass over the documents.
  const docs = new Map<string, CodeRecord>();
  const brandsOfCode = new Map<string, string[]>();
  const codesHeldByUser = new Groups<string>();
  for (const doc of input.codes) {
    const brand = brands.get(doc.brandId);
    if (!brand) continue;
    const key = keyOf(doc.brandId, doc.code);
    if (docs.has(key)) {
      violation('duplicate_code', doc.brandId, `code ${doc.code} is stored more than once`);
    } else {
      docs.set(key, doc);
      brandsOfCode.set(doc.code, [...(brandsOfCode.get(doc.code) ?? []), doc.brandId]);
    }
    brand.total++;
    if (doc.status === 'available' || doc.status === 'expired') {
      brand[doc.status]++;
      if (doc.claimedBy || doc.holder !== input.unclaimedHolder(doc.code)) {
        violation(
          'inconsistent_document',
          doc.brandId,
          `${doc.status} code ${doc.code} has holder ${String(doc.holder)} and claimant ${String(doc.claimedBy)}`,
        );
      }
    } else if (doc.status === 'claimed') {
      brand.claimed++;
      if (!doc.claimedBy || doc.holder !== doc.claimedBy) {
        violation(
          'inconsistent_document',
          doc.brandId,
          `claimed code ${doc.code} has holder ${String(doc.holder)} but claimant ${String(doc.claimedBy)}`,
        );
      }
      if (doc.claimedBy) codesHeldByUser.add(doc.brandId, doc.claimedBy, doc.code);
    } else {
      violation('inconsistent_document', doc.brandId, `code ${doc.code} has unknown status ${doc.status}`);
    }
  }
  for (const { brandId, item: userId, values: codes } of codesHeldByUser.withMoreThanOne()) {
    violation('user_holds_two_codes', brandId, `user ${userId} holds ${codes.join(', ')} in the database`);
  }

  // The answers side, checked against the documents.
  const usersTold = new Groups<string>();
  const codesTold = new Groups<string>();
  const newClaimsTold = new Map<string, number>();
  for (const answer of input.answers) {
    const brand = brands.get(answer.brandId);
    if (!brand) continue;
    brand.answers[answer.outcome]++;
    if (answer.outcome !== 'created' && answer.outcome !== 'held') continue;
    const { brandId, userId, code } = answer;
    if (!code) {
      violation(
        'answer_disagrees_with_database',
        brandId,
        `user ${userId} was granted a claim without a code`,
      );
      continue;
    }
    usersTold.add(brandId, code, userId);
    codesTold.add(brandId, userId, code);
    if (answer.outcome === 'created') {
      const key = keyOf(brandId, userId);
      newClaimsTold.set(key, (newClaimsTold.get(key) ?? 0) + 1);
      if (newClaimsTold.get(key) === 2) {
        violation('repeated_new_claim', brandId, `user ${userId} was told "new claim" more than once`);
      }
    }
    const doc = docs.get(keyOf(brandId, code));
    if (!doc) {
      const owners = brandsOfCode.get(code);
      if (owners) {
        violation(
          'claimed_code_of_other_brand',
          brandId,
          `user ${userId} was given ${code}, a code of brand ${owners.join(', ')}`,
        );
      } else {
        violation('claimed_code_missing', brandId, `user ${userId} was given ${code}, which does not exist`);
      }
    } else if (doc.status !== 'claimed' || doc.claimedBy !== userId) {
      violation(
        'answer_disagrees_with_database',
        brandId,
        `user ${userId} was given ${code}, stored as ${doc.status} by ${String(doc.claimedBy)}`,
      );
    }
  }
  for (const { brandId, item: code, values: users } of usersTold.withMoreThanOne()) {
    violation('code_given_to_two_users', brandId, `code ${code} was given to ${users.join(', ')}`);
  }
  for (const { brandId, item: userId, values: codes } of codesTold.withMoreThanOne()) {
    violation('user_holds_two_codes', brandId, `user ${userId} was given ${codes.join(', ')}`);
  }

  // The counts, per brand.
  const audits: BrandAudit[] = [];
  for (const [brandId, brand] of brands) {
    const newClaims = brand.claimed - (input.claimedBefore?.[brandId] ?? 0);
    const expectedTotal = input.expectedTotals?.[brandId];
    if (brand.total !== brand.available + brand.claimed + brand.expired) {
      violation(
        'counts_do_not_add_up',
        brandId,
        `total ${brand.total} ≠ available ${brand.available} + claimed ${brand.claimed} + expired ${brand.expired}`,
      );
    }
    if (expectedTotal !== undefined && brand.total !== expectedTotal) {
      violation('counts_do_not_add_up', brandId, `expected ${expectedTotal} codes, found ${brand.total}`);
    }
    if (newClaims !== brand.answers.created) {
      violation(
        'new_claims_mismatch',
        brandId,
        `${newClaims} codes were newly claimed but ${brand.answers.created} answers said "new claim"` +
          (brand.answers.failed > 0 ? ` (${brand.answers.failed} requests failed)` : ''),
      );
    }
    if (brand.answers.exhausted > 0 && brand.available > 0 && !input.codesAddedDuringRun) {
      violation(
        'exhausted_while_available',
        brandId,
        `${brand.answers.exhausted} answers said "no codes left" but ${brand.available} are available`,
      );
    }
    audits.push({ brandId, ...brand, newClaims });
  }

  return { ok: violations.length === 0, violations, brands: audits, totals: sumOf(audits) };
}

function sumOf(audits: readonly BrandAudit[]): Omit<BrandAudit, 'brandId'> {
  const totals = { total: 0, available: 0, claimed: 0, expired: 0, newClaims: 0, answers: noAnswers() };
  for (const audit of audits) {
    totals.total += audit.total;
    totals.available += audit.available;
    totals.claimed += audit.claimed;
    totals.expired += audit.expired;
    totals.newClaims += audit.newClaims;
    for (const outcome of Object.keys(totals.answers) as AnswerOutcome[]) {
      totals.answers[outcome] += audit.answers[outcome];
    }
  }
  return totals;
}

/** A few lines for logs and test failures: the verdict, the totals, the first violations. */
export function describeAudit(report: ClaimAuditReport, maxViolations = 10): string {
  const { total, available, claimed, expired, newClaims, answers } = report.totals;
  const lines = [
    `${report.ok ? 'OK' : `${report.violations.length} VIOLATION(S)`}: ${report.brands.length} brand(s), ` +
      `${total} codes = ${available} available + ${claimed} claimed${expired > 0 ? ` + ${expired} expired` : ''} ` +
      `(${newClaims} new); answers: ` +
      `${answers.created} new, ${answers.held} held, ${answers.exhausted} exhausted, ${answers.failed} failed`,
    ...report.violations.slice(0, maxViolations).map((v) => `  ${v.kind} [${v.brandId}]: ${v.message}`),
  ];
  if (report.violations.length > maxViolations) {
    lines.push(`  … and ${report.violations.length - maxViolations} more`);
  }
  return lines.join('\n');
}
