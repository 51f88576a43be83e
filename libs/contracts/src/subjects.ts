/**
 * NATS subjects. Facts and commands live under separate prefixes so that the event stream, which
 * captures `discounts.events.>`, never stores request/reply traffic. Every subject carries its
 * payload's major version, so a v2 payload gets a new subject and both can run side by side
 * during an upgrade.
 */
export const SUBJECT_PREFIX = 'discounts';
export const EVENT_SUBJECT_PREFIX = `${SUBJECT_PREFIX}.events`;
export const COMMAND_SUBJECT_PREFIX = `${SUBJECT_PREFIX}.commands`;

/**
 * The JetStream stream holding every event. Both services create or update it at start-up (the
 * first one wins; the call is idempotent), so its name and subjects are part of the contract.
 */
export const EVENTS_STREAM = {
  name: 'DISCOUNTS_EVENTS',
  subjects: [`${EVENT_SUBJECT_PREFIX}.>`],
} as const;

/** Facts, published to JetStream with the event id as message id. */
export const SUBJECTS = {
  /** A user claimed a code (provider → generator: brand webhooks, counters). */
  codeClaimed: `${EVENT_SUBJECT_PREFIX}.v1.code.claimed`,
  /** A batch of codes was stored (generator → whoever listens). */
  codesGenerated: `${EVENT_SUBJECT_PREFIX}.v1.codes.generated`,
  /** A brand's available codes fell below its threshold (provider → generator: auto-replenish). */
  poolLow: `${EVENT_SUBJECT_PREFIX}.v1.pool.low`,
} as const;

export type Subject = (typeof SUBJECTS)[keyof typeof SUBJECTS];

/** Commands: core NATS request/reply, never stored. */
export const COMMANDS = {
  /** Provider → generator: a brand ran out of codes; add some now if the brand allows it. */
  replenishPool: `${COMMAND_SUBJECT_PREFIX}.v1.pool.replenish`,
} as const;

export type CommandSubject = (typeof COMMANDS)[keyof typeof COMMANDS];
