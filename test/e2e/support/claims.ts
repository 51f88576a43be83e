/** Claims through the provider's API and their audit: what the concurrency specs share. */
import type { mongo } from 'mongoose';
import {
  auditClaimsInDatabase,
  describeAudit,
  type ClaimAnswer,
  type DatabaseAuditInput,
} from '../../support/claim-audit';
import type { ApiError, ApiResponse, Claim, Client } from './http';

export type ClaimReply = ApiResponse<Claim & ApiError>;

/**
 * The dev server answers one command at a time, so the last of 500 concurrent claims waits for all
 * the others: on a machine whose cores are busy with other work that takes minutes. These tests
 * check who got what, not how fast: the budget is generous.
 */
export const CLAIM_TIMEOUT_MS = 300_000;

export function claim(provider: Client, brandId: string, token: string): Promise<ClaimReply> {
  return provider.post<Claim & ApiError>(`/v1/brands/${brandId}/claims`, undefined, {
    token,
    timeoutMs: CLAIM_TIMEOUT_MS,
  });
}

/** How many answers had each status, e.g. {201: 400, 409: 100}. */
export function histogram(answers: readonly ClaimReply[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

/** The audit's view of an answer: 201 new claim, 200 held code, 409 no codes left. */
export function auditAnswer(brandId: string, userId: string, answer: ClaimReply): ClaimAnswer {
  switch (answer.status) {
    case 201:
      return { brandId, userId, outcome: 'created', code: answer.body.code };
    case 200:
      return { brandId, userId, outcome: 'held', code: answer.body.code };
    case 409:
      return { brandId, userId, outcome: 'exhausted' };
    default:
      return { brandId, userId, outcome: 'failed' };
  }
}

/** Audits the brand against every answer its claims got; fails the test with the violations. */
export async function expectCleanAudit(
  db: mongo.Db,
  brandId: string,
  total: number,
  answers: readonly ClaimAnswer[],
  more: Pick<DatabaseAuditInput, 'perUserLimits' | 'redemptions' | 'claimedBefore'> = {},
) {
  const report = await auditClaimsInDatabase(db, {
    brandIds: [brandId],
    answers,
    expectedTotals: { [brandId]: total },
    ...more,
  });
  expect({ violations: report.violations, summary: describeAudit(report) }).toEqual({
    violations: [],
    summary: expect.stringMatching(/^OK: /) as unknown,
  });
  return report.totals;
}
