/**
 * Campaigns with codes, and claims in them through the provider's API; the generator's campaign
 * routes with a brand's key: what the campaign specs share.
 */
import { storedCampaignId } from '@app/contracts';
import { CODES_COLLECTION } from '@app/persistence';
import type { ClaimAnswer } from '../../support/claim-audit';
import { CLAIM_TIMEOUT_MS } from './claims';
import { startE2eStack, type E2eStack } from './e2e-stack';
import type { ApiError, ApiResponse, Client, RequestOptions } from './http';

/** The answer of GET /v1/brands/{brandId}/campaigns/{campaignId}. */
export interface Campaign {
  brandId: string;
  campaignId: string;
  name: string;
  startsAt: string | null;
  endsAt: string | null;
  format: { length: number | null; prefix: string | null; alphabet: string | null } | null;
  perUserLimit: number;
  metadata: Record<string, string> | null;
  createdAt: string;
  updatedAt: string;
}

/** Above it a generate request is a job (202). */
export const CAMPAIGN_INLINE_MAX = 100;

/** A stack for the campaign routes: brand keys enforced, jobs of chunks of 100 codes. */
export function startCampaignStack(label: string): Promise<E2eStack> {
  return startE2eStack({
    label,
    generatorEnv: {
      DEV_OPEN_BRAND_API: undefined,
      GENERATION_INLINE_MAX_COUNT: String(CAMPAIGN_INLINE_MAX),
      GENERATION_JOB_CHUNK_SIZE: '100',
    },
  });
}

export const campaignsPath = (brandId: string) => `/v1/brands/${brandId}/campaigns`;

/** A request to the generator's public port; `opts` override method, key and body. */
export type KeyedRequest = <T>(
  method: string,
  path: string,
  json?: unknown,
  opts?: RequestOptions,
) => Promise<ApiResponse<T & ApiError>>;

/** Requests to the generator's public port with `token` (a brand's API key). */
export function requestsWithKey(stack: E2eStack, token: string): KeyedRequest {
  return <T>(method: string, path: string, json?: unknown, opts: RequestOptions = {}) =>
    stack.gen.request<T & ApiError>(path, { method, token, json, ...opts });
}

/** A v1 error answer: its status, its error code, and a message that says something. */
export function expectError(res: ApiResponse<ApiError>, status: number, error: string): void {
  expect({ status: res.status, error: res.body?.error }).toEqual({ status, error });
  expect(res.body.message.length).toBeGreaterThan(0);
}

/** Every stored field of the codes matching `filter`. */
export async function storedCodeDocs(stack: E2eStack, filter: Record<string, unknown>) {
  return (await stack.db()).collection(CODES_COLLECTION).find(filter).toArray();
}

/** The answer of POST /v1/brands/{brandId}/campaigns/{campaignId}/claims. */
export interface CampaignClaim {
  code: string;
  brandId: string;
  campaignId: string;
  claimedAt: string;
  codes: Array<{ code: string; claimedAt: string }>;
}

export type CampaignClaimReply = ApiResponse<CampaignClaim & ApiError>;

export function claimInCampaign(
  provider: Client,
  brandId: string,
  campaignId: string,
  token: string,
): Promise<CampaignClaimReply> {
  return provider.post<CampaignClaim & ApiError>(
    `/v1/brands/${brandId}/campaigns/${campaignId}/claims`,
    undefined,
    { token, timeoutMs: CLAIM_TIMEOUT_MS },
  );
}

export interface CampaignSetup {
  readonly campaignId: string;
  readonly perUserLimit: number;
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  readonly format?: { length?: number; prefix?: string; alphabet?: string };
}

/** Creates a campaign of the brand through the generator (POST /v1/brands/{brandId}/campaigns). */
export async function createCampaign(
  stack: E2eStack,
  brandId: string,
  campaign: CampaignSetup,
): Promise<void> {
  const res = await stack.genAdmin.post(`/v1/brands/${brandId}/campaigns`, {
    campaignId: campaign.campaignId,
    name: `Campaign ${campaign.campaignId}`,
    perUserLimit: campaign.perUserLimit,
    ...(campaign.startsAt ? { startsAt: campaign.startsAt.toISOString() } : {}),
    ...(campaign.endsAt ? { endsAt: campaign.endsAt.toISOString() } : {}),
    ...(campaign.format ? { format: campaign.format } : {}),
  });
  if (res.status !== 201)
    throw new Error(`creating campaign ${campaign.campaignId} of ${brandId}: HTTP ${res.status} ${res.text}`);
}

/** Generates `count` codes into the campaign (POST /v1/brands/{brandId}/campaigns/{campaignId}/codes). */
export async function addCampaignCodes(
  stack: E2eStack,
  brandId: string,
  campaignId: string,
  count: number,
): Promise<void> {
  const res = await stack.genAdmin.post(
    `/v1/brands/${brandId}/campaigns/${campaignId}/codes`,
    { count },
    { timeoutMs: 60_000 },
  );
  if (res.status !== 201)
    throw new Error(
      `generating ${count} codes into ${brandId}/${campaignId}: HTTP ${res.status} ${res.text}`,
    );
}

/** The codes of one campaign as stored (the default campaign's have no campaignId). */
export async function storedCodes(
  stack: E2eStack,
  brandId: string,
  campaignId: string | null,
): Promise<Array<{ code: string; status: string; claimedBy?: string }>> {
  return (await stack.db())
    .collection<{ code: string; status: string; claimedBy?: string }>(CODES_COLLECTION)
    .find({ brandId, campaignId }, { projection: { _id: 0, code: 1, status: 1, claimedBy: 1 } })
    .toArray();
}

/**
 * The audit's view of a campaign claim's answer: 201 a new claim (and the codes held before it),
 * 200 the codes held, 409 nothing left (campaign_not_active is no claim answer at all: none).
 */
export function auditCampaignAnswer(
  brandId: string,
  campaignId: string,
  userId: string,
  answer: CampaignClaimReply,
): ClaimAnswer[] {
  // The audit names the default campaign by no campaignId at all, as its codes store it.
  const stored = storedCampaignId(campaignId);
  const base = { brandId, ...(stored ? { campaignId: stored } : {}), userId };
  switch (answer.status) {
    case 201:
      return answer.body.codes.map(({ code }) => ({
        ...base,
        outcome: code === answer.body.code ? 'created' : 'held',
        code,
      }));
    case 200:
      return answer.body.codes.map(({ code }) => ({ ...base, outcome: 'held', code }));
    case 409:
      return answer.body.error === 'codes_exhausted' ? [{ ...base, outcome: 'exhausted' }] : [];
    default:
      return [{ ...base, outcome: 'failed' }];
  }
}
