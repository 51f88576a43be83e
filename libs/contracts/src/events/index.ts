import type { z } from 'zod';
import { SUBJECTS, type Subject } from '../subjects';
import { codeClaimedV1Schema } from './code-claimed.event';
import { codesGeneratedV1Schema } from './codes-generated.event';
import { poolLowV1Schema } from './pool-low.event';

export * from './code-claimed.event';
export * from './codes-generated.event';
export * from './pool-low.event';
export * from './pool-low-event-id';

const schemas = {
  [SUBJECTS.codeClaimed]: codeClaimedV1Schema,
  [SUBJECTS.codesGenerated]: codesGeneratedV1Schema,
  [SUBJECTS.poolLow]: poolLowV1Schema,
} as const satisfies Record<Subject, z.ZodType>;

export type EventPayload<S extends Subject> = z.infer<(typeof schemas)[S]>;

/**
 * Which payload schema each subject carries: publishers and consumers both go through it. Typed
 * per subject, so that `EVENT_SCHEMAS[subject]` parses to that subject's payload, not the union.
 */
export const EVENT_SCHEMAS: {
  readonly [S in Subject]: (typeof schemas)[S] & z.ZodType<EventPayload<S>>;
} = schemas;
