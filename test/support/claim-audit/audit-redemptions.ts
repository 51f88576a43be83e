import type { CodeRecord, ViolationKind } from './audit-model';

/**
 * What one redemption or rollback request was answered: `redeemed` a new redemption (201),
 * `replayed` the same order's redemption again (200), `refused` (4xx: nothing changed),
 * `rolled_back` a rollback's answer (first or repeated: both name the same redemption), `failed`
 * anything else (it may or may not have changed the code).
 */
export interface RedemptionAnswer {
  readonly brandId: string;
  readonly code: string;
  readonly outcome: 'redeemed' | 'replayed' | 'refused' | 'rolled_back' | 'failed';
  readonly orderId?: string;
  /** The redemption named by the answer (redeemed, replayed, rolled_back). */
  readonly redemptionId?: string;
}

type Violation = (kind: ViolationKind, brandId: string, message: string) => void;

interface CodeStory {
  readonly brandId: string;
  readonly code: string;
  /** Redemption id → order, for every "redeemed" answer. */
  readonly redeemed: Map<string, string | undefined>;
  readonly rolledBack: Set<string>;
  readonly ordersTold: Set<string>;
  failed: boolean;
}

/**
 * The redemption invariants: a code is redeemed by one order at a time (a second "redeemed"
 * needs a rollback of the first in between), what the callers were told agrees with the code as
 * stored, and every rollback they were told of is counted on the code.
 */
export function checkRedemptions(
  docs: ReadonlyMap<string, CodeRecord>,
  answers: readonly (RedemptionAnswer & { readonly brandId: string })[],
  violation: Violation,
  keyOf = (brandId: string, code: string) => `${brandId}\u0000${code}`,
): void {
  const stories = new Map<string, CodeStory>();
  for (const answer of answers) {
    const key = keyOf(answer.brandId, answer.code);
    let story = stories.get(key);
    if (!story) {
      story = {
        brandId: answer.brandId,
        code: answer.code,
        redeemed: new Map(),
        rolledBack: new Set(),
        ordersTold: new Set(),
        failed: false,
      };
      stories.set(key, story);
    }
    if (answer.outcome === 'failed') story.failed = true;
    if ((answer.outcome === 'redeemed' || answer.outcome === 'replayed') && answer.orderId) {
      story.ordersTold.add(answer.orderId);
    }
    if (answer.outcome === 'redeemed' && answer.redemptionId)
      story.redeemed.set(answer.redemptionId, answer.orderId);
    if (answer.outcome === 'rolled_back' && answer.redemptionId) story.rolledBack.add(answer.redemptionId);
  }

  for (const story of stories.values()) {
    const { brandId, code } = story;
    const doc = docs.get(keyOf(brandId, code));
    const standing = [...story.redeemed.keys()].filter((id) => !story.rolledBack.has(id));
    if (standing.length > 1) {
      violation(
        'code_redeemed_twice',
        brandId,
        `code ${code} was told redeemed by ${standing.length} redemptions still standing`,
      );
    }
    if (!doc) {
      if (story.redeemed.size > 0 || story.rolledBack.size > 0) {
        violation('redemption_disagrees_with_database', brandId, `redeemed code ${code} does not exist`);
      }
      continue;
    }
    // A failed request may have changed the code: only what was answered is held against it.
    if (story.failed) continue;
    if (standing.length === 1 && doc.status !== 'redeemed') {
      violation(
        'redemption_disagrees_with_database',
        brandId,
        `code ${code} was told redeemed (order ${String(story.redeemed.get(standing[0]!))}) but is stored ${doc.status}`,
      );
    }
    if (
      doc.status === 'redeemed' &&
      story.ordersTold.size > 0 &&
      !story.ordersTold.has(doc.redemption?.orderId ?? '')
    ) {
      violation(
        'redemption_disagrees_with_database',
        brandId,
        `code ${code} is stored redeemed by order ${String(doc.redemption?.orderId)}, which no answer named`,
      );
    }
    if ((doc.rollbacks ?? 0) < story.rolledBack.size) {
      violation(
        'redemption_disagrees_with_database',
        brandId,
        `code ${code} counts ${doc.rollbacks ?? 0} rollbacks but ${story.rolledBack.size} were answered`,
      );
    }
  }
}
