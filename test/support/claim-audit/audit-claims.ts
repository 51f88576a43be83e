/**
 * The claim invariants, checked from what the database holds after a run and what the callers
 * were told during it. Pure: the caller reads the documents (see claims-in-database.ts) and
 * collects the answers; nothing here touches MongoDB, Nest or NATS.
 */

import {
  type AnswerCounts,
  type AnswerOutcome,
  type BrandAudit,
  type ClaimAuditInput,
  type ClaimAuditReport,
  type ClaimViolation,
  type CodeRecord,
  type ViolationKind,
} from './audit-model';
import { checkRedemptions } from './audit-redemptions';

export * from './audit-model';

const noAnswers = (): AnswerCounts => ({ created: 0, held: 0, exhausted: 0, failed: 0 });
export const keyOf = (brandId: string, item: string) => `${brandId}\u0000${item}`;
/** A user within a campaign: what per-user limits count. */
const userInCampaign = (campaignId: string | null | undefined, userId: string) =>
  campaignId ? `${userId} in campaign ${campaignId}` : userId;
const DEFAULT_CAMPAIGN = 'default';

/** A map of sets that keeps insertion order, for grouping without sorting. */
class Groups<V> {
  private readonly map = new Map<string, { brandId: string; item: string; values: Set<V> }>();

  add(brandId: string, item: string, value: V): void {
    const key = keyOf(brandId, item);
    let group = this.map.get(key);
    if (!group) this.map.set(key, (group = { brandId, item, values: new Set() }));
    group.values.add(value);
  }

  *withMoreThan(
    limitOf: (brandId: string, item: string) => number,
  ): Generator<{ brandId: string; item: string; values: V[] }> {
    for (const group of this.map.values()) {
      if (group.values.size > limitOf(group.brandId, group.item))
        yield { ...group, values: [...group.values] };
    }
  }
}

interface MutableBrandAudit {
  total: number;
  available: number;
  claimed: number;
  expired: number;
  redeemed: number;
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
    brandIds.map((id) => [
      id,
      { total: 0, available: 0, claimed: 0, expired: 0, redeemed: 0, answers: noAnswers() },
    ]),
  );
  // Limits are looked up by the group's item, which names the campaign (userInCampaign).
  const campaignOfItem = new Map<string, string>();
  const limitOf = (brandId: string, item: string) =>
    input.perUserLimits?.[`${brandId}/${campaignOfItem.get(item) ?? DEFAULT_CAMPAIGN}`] ?? 1;
  const userKey = (campaignId: string | null | undefined, userId: string) => {
    const item = userInCampaign(campaignId, userId);
    if (campaignId) campaignOfItem.set(item, campaignId);
    return item;
  };

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
    } else if (doc.status === 'claimed' || doc.status === 'redeemed') {
      brand[doc.status]++;
      if (!doc.claimedBy || !holdsAsClaimant(doc)) {
        violation(
          'inconsistent_document',
          doc.brandId,
          `${doc.status} code ${doc.code} has holder ${String(doc.holder)} but claimant ${String(doc.claimedBy)}`,
        );
      }
      if ((doc.status === 'redeemed') !== Boolean(doc.redemption?.orderId)) {
        violation(
          'inconsistent_document',
          doc.brandId,
          `${doc.status} code ${doc.code} ${doc.redemption ? 'carries' : 'lacks'} a redemption`,
        );
      }
      if (doc.claimedBy) codesHeldByUser.add(doc.brandId, userKey(doc.campaignId, doc.claimedBy), doc.code);
    } else {
      violation('inconsistent_document', doc.brandId, `code ${doc.code} has unknown status ${doc.status}`);
    }
  }
  for (const { brandId, item: user, values: codes } of codesHeldByUser.withMoreThan(limitOf)) {
    violation('user_holds_two_codes', brandId, `user ${user} holds ${codes.join(', ')} in the database`);
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
    const user = userKey(answer.campaignId, userId);
    usersTold.add(brandId, code, userId);
    codesTold.add(brandId, user, code);
    if (answer.outcome === 'created') {
      const key = keyOf(brandId, user);
      newClaimsTold.set(key, (newClaimsTold.get(key) ?? 0) + 1);
      if (newClaimsTold.get(key) === limitOf(brandId, user) + 1) {
        violation('repeated_new_claim', brandId, `user ${user} was told "new claim" too often`);
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
    } else if (
      (doc.status !== 'claimed' && doc.status !== 'redeemed') ||
      doc.claimedBy !== userId ||
      (doc.campaignId ?? undefined) !== answer.campaignId
    ) {
      violation(
        'answer_disagrees_with_database',
        brandId,
        `user ${user} was given ${code}, stored as ${doc.status} by ${String(doc.claimedBy)}` +
          (doc.campaignId ? ` in campaign ${doc.campaignId}` : ''),
      );
    }
  }
  for (const { brandId, item: code, values: users } of usersTold.withMoreThan(() => 1)) {
    violation('code_given_to_two_users', brandId, `code ${code} was given to ${users.join(', ')}`);
  }
  for (const { brandId, item: user, values: codes } of codesTold.withMoreThan(limitOf)) {
    violation('user_holds_two_codes', brandId, `user ${user} was given ${codes.join(', ')}`);
  }
  checkRedemptions(
    docs,
    (input.redemptions ?? []).filter((a) => brands.has(a.brandId)),
    violation,
    keyOf,
  );

  // The counts, per brand.
  const audits: BrandAudit[] = [];
  for (const [brandId, brand] of brands) {
    const newClaims = brand.claimed + brand.redeemed - (input.claimedBefore?.[brandId] ?? 0);
    const expectedTotal = input.expectedTotals?.[brandId];
    if (brand.total !== brand.available + brand.claimed + brand.expired + brand.redeemed) {
      violation(
        'counts_do_not_add_up',
        brandId,
        `total ${brand.total} ≠ available ${brand.available} + claimed ${brand.claimed} + ` +
          `expired ${brand.expired} + redeemed ${brand.redeemed}`,
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
  const totals = {
    total: 0,
    available: 0,
    claimed: 0,
    expired: 0,
    redeemed: 0,
    newClaims: 0,
    answers: noAnswers(),
  };
  for (const audit of audits) {
    totals.total += audit.total;
    totals.available += audit.available;
    totals.claimed += audit.claimed;
    totals.expired += audit.expired;
    totals.redeemed += audit.redeemed;
    totals.newClaims += audit.newClaims;
    for (const outcome of Object.keys(totals.answers) as AnswerOutcome[]) {
      totals.answers[outcome] += audit.answers[outcome];
    }
  }
  return totals;
}

/** A few lines for logs and test failures: the verdict, the totals, the first violations. */
export function describeAudit(report: ClaimAuditReport, maxViolations = 10): string {
  const { total, available, claimed, expired, redeemed, newClaims, answers } = report.totals;
  const lines = [
    `${report.ok ? 'OK' : `${report.violations.length} VIOLATION(S)`}: ${report.brands.length} brand(s), ` +
      `${total} codes = ${available} available + ${claimed} claimed${expired > 0 ? ` + ${expired} expired` : ''}` +
      `${redeemed > 0 ? ` + ${redeemed} redeemed` : ''} ` +
      `(${newClaims} new); answers: ` +
      `${answers.created} new, ${answers.held} held, ${answers.exhausted} exhausted, ${answers.failed} failed`,
    ...report.violations.slice(0, maxViolations).map((v) => `  ${v.kind} [${v.brandId}]: ${v.message}`),
  ];
  if (report.violations.length > maxViolations) {
    lines.push(`  … and ${report.violations.length - maxViolations} more`);
  }
  return lines.join('\n');
}

/**
 * A claimed code's holder is its claimant in the default campaign, and one of the claimant's
 * numbered tickets (`user#campaign#n`) in any other.
 */
function holdsAsClaimant(doc: CodeRecord): boolean {
  if (!doc.campaignId) return doc.holder === doc.claimedBy;
  const prefix = `${String(doc.claimedBy)}#${doc.campaignId}#`;
  return Boolean(doc.holder?.startsWith(prefix)) && /^\d+$/.test(doc.holder!.slice(prefix.length));
}
