import type { z } from 'zod';
import { SUBJECTS, type Subject } from '../subjects';
import { codeClaimedV1Schema } from './code-claimed.event';
import { codesGeneratedV1Schema } from './codes-generated.event';
import { poolLowV1Schema } from './pool-low.event';

export * from './code-claimed.event';
export * from './codes-generated.event';
export * from './pool-low.event';
export * from './pool-low-event-id';

/** Which payload schema each subject carries: publishers and consumers both go through it. */
export const EVENT_SCHEMAS = {
  [SUBJECTS.codeClaimed]: codeClaimedV1Schema,
  [SUBJECTS.codesGenerated]: codesGeneratedV1Schema,
  [SUBJECTS.poolLow]: poolLowV1Schema,
} as const satisfies Record<Subject, z.ZodType>;

export type EventPayload<S extends Subject> = z.infer<(typeof EVENT_SCHEMAS)[S]>;
