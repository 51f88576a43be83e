import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { DEFAULT_CAMPAIGN_ID, storedCampaignId } from '@app/contracts';
import { notExpired } from './claim-commands';
import { Code, type CodeRedemption, type CodeStatus } from './code.schema';

export const CODE_LIST_STATUSES = ['available', 'claimed', 'expired', 'redeemed', 'all'] as const;
export type CodeListStatus = (typeof CODE_LIST_STATUSES)[number];

/** Which of a brand's codes a listing or an export reads. */
export interface CodeListFilter {
  readonly status: CodeListStatus;
  /** A campaign id as the API names it: DEFAULT_CAMPAIGN_ID is the codes stored without one. */
  readonly campaignId?: string;
  /** The inline batch, import or generation job (a job's id) that stored the codes. */
  readonly batchId?: string;
}

/** One code as exported or listed. */
export interface CodeRow {
  readonly id: string;
  readonly code: string;
  /** An available code past its expiry is shown expired, marked so by the sweep or not yet. */
  readonly status: CodeStatus;
  readonly claimedBy: string | null;
  readonly claimedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
  /** DEFAULT_CAMPAIGN_ID for a code stored without a campaign. */
  readonly campaignId: string;
  /** The redemption of a redeemed code; a rollback takes it away (the code is claimed again). */
  readonly redeemedAt: Date | null;
  readonly orderId: string | null;
  readonly redemptionId: string | null;
}

type RowLean = Pick<
  Code,
  'code' | 'status' | 'claimedBy' | 'claimedAt' | 'expiresAt' | 'createdAt' | 'campaignId'
> & {
  _id: Types.ObjectId;
  redemption?: Pick<CodeRedemption, 'id' | 'orderId' | 'redeemedAt'>;
};
/** The redemption's metadata is left out: a row does not show it, and it is the redemption's bulk. */
const ROW_FIELDS = {
  code: 1,
  status: 1,
  claimedBy: 1,
  claimedAt: 1,
  expiresAt: 1,
  createdAt: 1,
  campaignId: 1,
  'redemption.id': 1,
  'redemption.orderId': 1,
  'redemption.redeemedAt': 1,
} as const;

export function toCodeRow(doc: RowLean, now: Date): CodeRow {
  const expired =
    doc.status === 'available' &&
    doc.expiresAt !== undefined &&
    doc.expiresAt !== null &&
    doc.expiresAt <= now;
  return {
    id: doc._id.toHexString(),
    code: doc.code,
    status: expired ? 'expired' : doc.status,
    claimedBy: doc.claimedBy ?? null,
    claimedAt: doc.claimedAt ?? null,
    expiresAt: doc.expiresAt ?? null,
    createdAt: doc.createdAt,
    campaignId: doc.campaignId ?? DEFAULT_CAMPAIGN_ID,
    redeemedAt: doc.redemption?.redeemedAt ?? null,
    orderId: doc.redemption?.orderId ?? null,
    redemptionId: doc.redemption?.id ?? null,
  };
}

function listFilter(
  brandId: string,
  selection: CodeListStatus | CodeListFilter,
  now: Date,
): Record<string, unknown> {
  const { status, campaignId, batchId } = typeof selection === 'string' ? { status: selection } : selection;
  return {
    ...statusFilter(brandId, status, now),
    // null matches the codes without the field: the default campaign's.
    ...(campaignId !== undefined ? { campaignId: storedCampaignId(campaignId) ?? null } : {}),
    ...(batchId !== undefined ? { batchId } : {}),
  };
}

function statusFilter(brandId: string, status: CodeListStatus, now: Date): Record<string, unknown> {
  switch (status) {
    case 'available':
      return { brandId, status: 'available', $or: notExpired(now) };
    case 'claimed':
      return { brandId, status: 'claimed' };
    case 'redeemed':
      return { brandId, status: 'redeemed' };
    case 'expired':
      return { brandId, $or: [{ status: 'expired' }, { status: 'available', expiresAt: { $lte: now } }] };
    case 'all':
      return { brandId };
  }
}

/** A brand's codes as rows, in _id order: the listing's pages and the export's stream. */
@Injectable()
export class CodeListingRepository {
  constructor(@InjectModel(Code.name) private readonly codes: Model<Code>) {}

  /**
   * The brand's codes in _id order as a stream of rows, read through a driver cursor in batches:
   * memory stays flat whatever the count, and a reader that stops reading stops the cursor.
   * `selection`: a status, or a CodeListFilter that also narrows by campaign and batch.
   */
  streamRows(
    brandId: string,
    selection: CodeListStatus | CodeListFilter,
    now = new Date(),
  ): NodeJS.ReadableStream & AsyncIterable<CodeRow> {
    return this.codes.collection
      .find(listFilter(brandId, selection, now), {
        projection: ROW_FIELDS,
        sort: { _id: 1 },
        batchSize: 1_000,
      })
      .map((doc) => toCodeRow(doc as unknown as RowLean, now))
      .stream();
  }

  /** One page of the brand's codes after `afterId` (exclusive), in _id order; `selection` as in streamRows. */
  async page(
    brandId: string,
    selection: CodeListStatus | CodeListFilter,
    limit: number,
    afterId?: string,
    now = new Date(),
  ): Promise<CodeRow[]> {
    const filter = listFilter(brandId, selection, now);
    if (afterId) filter._id = { $gt: new Types.ObjectId(afterId) };
    const docs = await this.codes
      .find(filter, ROW_FIELDS)
      .sort({ _id: 1 })
      .limit(limit)
      .lean<RowLean[]>()
      .exec();
    return docs.map((doc) => toCodeRow(doc, now));
  }
}
