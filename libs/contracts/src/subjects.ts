/**
 * NATS subjects. Every subject lives under one prefix and carries its payload's major version,
 * so a v2 payload gets a new subject and both can run side by side during an upgrade.
 */
export const SUBJECT_PREFIX = 'discounts';

export const SUBJECTS = {
  /** Fact: a user claimed a code (provider → generator). */
  codeClaimed: `${SUBJECT_PREFIX}.v1.code.claimed`,
  /** Fact: a batch of codes was stored (generator → provider). */
  codesGenerated: `${SUBJECT_PREFIX}.v1.codes.generated`,
} as const;

export type Subject = (typeof SUBJECTS)[keyof typeof SUBJECTS];
