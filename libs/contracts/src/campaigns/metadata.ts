/**
 * Bounds of the metadata a campaign, or a redemption, carries: it is shown on every read of the
 * campaign.
 */
export const CAMPAIGN_METADATA_LIMITS = { entries: 20, keyLength: 40, valueLength: 500 } as const;

/**
 * Metadata keys become field names of a stored sub-document: "$" and "." would be read as
 * operators and paths, so keys keep to a conservative set.
 */
const METADATA_KEY_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${CAMPAIGN_METADATA_LIMITS.keyLength}}$`);

export const METADATA_DESCRIPTION =
  `Up to ${CAMPAIGN_METADATA_LIMITS.entries} entries; keys of 1–${CAMPAIGN_METADATA_LIMITS.keyLength} ` +
  `letters, digits, "_" or "-"; string values of at most ${CAMPAIGN_METADATA_LIMITS.valueLength} characters`;

/** Why `value` is not acceptable metadata (of a campaign or a redemption), or null. */
export function metadataProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'metadata must be an object of string values';
  }
  const entries = Object.entries(value);
  if (entries.length > CAMPAIGN_METADATA_LIMITS.entries) {
    return `metadata must have at most ${CAMPAIGN_METADATA_LIMITS.entries} entries`;
  }
  for (const [key, entry] of entries) {
    if (!METADATA_KEY_PATTERN.test(key)) {
      return (
        `metadata keys must be 1–${CAMPAIGN_METADATA_LIMITS.keyLength} letters, digits, "_" or "-" ` +
        `(got ${JSON.stringify(key.slice(0, CAMPAIGN_METADATA_LIMITS.keyLength + 1))})`
      );
    }
    if (typeof entry !== 'string') return `metadata.${key} must be a string`;
    if (entry.length > CAMPAIGN_METADATA_LIMITS.valueLength) {
      return `metadata.${key} must be at most ${CAMPAIGN_METADATA_LIMITS.valueLength} characters`;
    }
  }
  return null;
}
