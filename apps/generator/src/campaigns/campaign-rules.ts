import { resolveCodeFormat, type CodeFormatOptions } from '@app/codegen';
import { DomainError } from '@app/contracts';
import type { CampaignChanges, CampaignCodeFormat, CampaignRecord } from '@app/persistence';

/** A campaign's dates leave it some time: startsAt (inclusive) comes before endsAt (exclusive). */
export function assertDatesInOrder(startsAt: Date | undefined, endsAt: Date | undefined): void {
  if (startsAt && endsAt && startsAt.getTime() >= endsAt.getTime()) {
    throw new DomainError(
      'invalid_input',
      `startsAt (${startsAt.toISOString()}) must be before endsAt (${endsAt.toISOString()})`,
    );
  }
}

/**
 * A campaign's format as stored: the fields given, no others (a generate request's own fields
 * win field by field, the rest default as for any request). Each is checked now by the rules a
 * generation applies (resolveCodeFormat), so a campaign never holds a format that cannot generate.
 */
export function campaignFormatOf(format: CodeFormatOptions): CampaignCodeFormat {
  const stored: CampaignCodeFormat = {
    ...(format.length !== undefined ? { length: format.length } : {}),
    ...(format.prefix !== undefined ? { prefix: format.prefix } : {}),
    ...(format.alphabet !== undefined ? { alphabet: format.alphabet } : {}),
  };
  resolveCodeFormat(stored);
  return stored;
}

/** The body of a PATCH, as the fields of the request say it: absent is unchanged, null removes. */
export interface CampaignPatch {
  readonly name?: string;
  readonly startsAt?: string | null;
  readonly endsAt?: string | null;
  readonly format?: CodeFormatOptions | null;
  readonly perUserLimit?: number;
  readonly metadata?: Readonly<Record<string, string>> | null;
}

/** What a PATCH changes, its format checked (invalid_input); the dates' order is checked with the campaign. */
export function campaignChangesOf(patch: CampaignPatch): CampaignChanges {
  const date = (value: string | null | undefined) =>
    value === undefined ? undefined : value === null ? null : new Date(value);
  const changes: CampaignChanges = {
    name: patch.name,
    startsAt: date(patch.startsAt),
    endsAt: date(patch.endsAt),
    format:
      patch.format === undefined || patch.format === null ? patch.format : campaignFormatOf(patch.format),
    perUserLimit: patch.perUserLimit,
    metadata:
      patch.metadata === undefined || patch.metadata === null ? patch.metadata : { ...patch.metadata },
  };
  // Absent keys, not undefined ones: "nothing to change" is an empty object.
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

/** The campaign's dates once `changes` apply to it: what must still be in order. */
export function datesAfter(
  campaign: Pick<CampaignRecord, 'startsAt' | 'endsAt'>,
  changes: CampaignChanges,
): { startsAt?: Date; endsAt?: Date } {
  const pick = (change: Date | null | undefined, current: Date | undefined) =>
    change === undefined ? current : (change ?? undefined);
  return {
    startsAt: pick(changes.startsAt, campaign.startsAt),
    endsAt: pick(changes.endsAt, campaign.endsAt),
  };
}
