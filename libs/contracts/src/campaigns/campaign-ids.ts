import { z } from 'zod';
import { ID_PATTERN } from '../identifiers';

/**
 * Every brand's campaign that needs no creating: the brand-level routes and the predecessor's
 * routes act on it, and its codes carry no campaignId at all (so the codes stored before campaigns
 * existed are its codes, unchanged).
 */
export const DEFAULT_CAMPAIGN_ID = 'default';

export const campaignIdSchema = z.string().regex(ID_PATTERN);

/** The campaignId a code of `campaignId` stores: none for the default campaign. */
export function storedCampaignId(campaignId: string): string | undefined {
  return campaignId === DEFAULT_CAMPAIGN_ID ? undefined : campaignId;
}

/** How many codes of one campaign a user may hold, at most. */
export const MAX_PER_USER_LIMIT = 100;
