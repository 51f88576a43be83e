/** Brands with known codes, claims, and the generator's validation / redemption / rollback routes. */
import type { RedemptionAnswer } from '../../support/claim-audit';
import { auditAnswer, type ClaimReply } from './claims';
import type { E2eStack } from './e2e-stack';
import { claim, createBrand } from './flows';
import type { ApiError, ApiResponse, Client, CreatedBrand } from './http';

export interface Redemption {
  redemptionId: string;
  brandId: string;
  campaignId: string;
  code: string;
  orderId: string;
  userId: string | null;
  amount: number | null;
  metadata: Record<string, string> | null;
  redeemedAt: string;
  rolledBackAt: string | null;
  status: 'redeemed' | 'rolled_back';
}

export interface Validation {
  valid: boolean;
  reason: string | null;
  code: string;
  campaignId: string | null;
  status: string | null;
  claimedBy?: string;
  expiresAt: string | null;
  redemption?: Redemption;
}

export type RedemptionReply = ApiResponse<Redemption & ApiError>;

/** Concurrent requests queue behind each other on the dev server: generous, like the claims'. */
const TIMEOUT_MS = 300_000;

/** The brand's routes with its own API key (the public port). */
export function brandApi(stack: E2eStack, brand: Pick<CreatedBrand, 'brandId' | 'apiKey'>) {
  const api: Client = stack.gen;
  const base = `/v1/brands/${brand.brandId}`;
  const opts = { token: brand.apiKey, timeoutMs: TIMEOUT_MS };
  return {
    validate: (body: Record<string, unknown>) =>
      api.post<Validation & ApiError>(`${base}/validations`, body, opts),
    redeem: (body: Record<string, unknown>) =>
      api.post<Redemption & ApiError>(`${base}/redemptions`, body, opts),
    rollback: (redemptionId: string) =>
      api.post<Redemption & ApiError>(`${base}/redemptions/${redemptionId}/rollback`, undefined, opts),
    get: (redemptionId: string) =>
      api.get<Redemption & ApiError>(`${base}/redemptions/${redemptionId}`, opts),
  };
}

export type BrandApi = ReturnType<typeof brandApi>;

/** A new brand holding exactly `codes` (imported, so their strings are known). */
export async function brandWithCodes(
  stack: E2eStack,
  id: string,
  codes: ReadonlyArray<string | { code: string; expiresAt: string }>,
): Promise<CreatedBrand> {
  const brand = await createBrand(stack, { id, name: id });
  const res = await stack.genAdmin.post<{ accepted: number }>(`/v1/brands/${id}/codes/import`, codes, {
    timeoutMs: 60_000,
  });
  if (res.status !== 201 || res.body.accepted !== codes.length) {
    throw new Error(`importing ${codes.length} codes for ${id}: HTTP ${res.status} ${res.text}`);
  }
  return brand;
}

/** Claims through the provider (a minted JWT); fails unless it is a new claim. */
export async function claimNew(stack: E2eStack, brandId: string, userId: string): Promise<ClaimReply> {
  const answer = await claim(stack, brandId, userId, TIMEOUT_MS);
  if (answer.status !== 201)
    throw new Error(`claim by ${userId} of ${brandId}: HTTP ${answer.status} ${answer.text}`);
  return answer;
}

/** A brand of one code, claimed by `userId`: the usual start of a checkout. */
export async function claimedCode(stack: E2eStack, brandId: string, code: string, userId: string) {
  const brand = await brandWithCodes(stack, brandId, [code]);
  const claimed = await claimNew(stack, brandId, userId);
  return { brand, api: brandApi(stack, brand), claims: [auditAnswer(brandId, userId, claimed)] };
}

/** The code as stored. */
export async function codeDoc(stack: E2eStack, brandId: string, code: string) {
  return (await stack.db()).collection('codes').findOne({ brandId, code }, { projection: { _id: 0 } });
}

/** The audit's view of a redemption's answer. */
/**
 * The brand's codes as far as their life goes, in code order (the event outboxes' fields change
 * on their own once the relays publish).
 */
export async function lifeOfCodes(stack: E2eStack, brandId: string) {
  const fields = {
    _id: 0,
    code: 1,
    status: 1,
    holder: 1,
    claimedBy: 1,
    redemption: 1,
    rolledBack: 1,
    rollbacks: 1,
  };
  return (await stack.db())
    .collection('codes')
    .find({ brandId }, { projection: fields })
    .sort({ code: 1 })
    .toArray();
}

export function redemptionAnswer(
  brandId: string,
  code: string,
  orderId: string,
  res: RedemptionReply,
): RedemptionAnswer {
  switch (res.status) {
    case 201:
      return { brandId, code, orderId, outcome: 'redeemed', redemptionId: res.body.redemptionId };
    case 200:
      return { brandId, code, orderId, outcome: 'replayed', redemptionId: res.body.redemptionId };
    case 404:
    case 409:
      return { brandId, code, orderId, outcome: 'refused' };
    default:
      return { brandId, code, orderId, outcome: 'failed' };
  }
}

/** The audit's view of a rollback's answer. */
export function rollbackAnswer(brandId: string, code: string, res: RedemptionReply): RedemptionAnswer {
  if (res.status === 200) {
    return { brandId, code, outcome: 'rolled_back', redemptionId: res.body.redemptionId };
  }
  return { brandId, code, outcome: res.status === 404 || res.status === 409 ? 'refused' : 'failed' };
}

/** The refusal a 409/404 answer carries: error code and details.reason. */
export const refusalOf = (res: RedemptionReply) => ({
  status: res.status,
  error: res.body.error,
  reason: res.body.details?.reason,
});

/** Resolves at the wall-clock time `at` (ms since the epoch): for sends timed across a deadline. */
export function at(time: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));
}
