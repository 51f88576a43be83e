import { z } from 'zod';
import { campaignIdSchema } from '../campaigns';
import { nameBasedEventId } from '../events/name-based-event-id';
import { brandIdSchema } from '../identifiers';

const jobFields = {
  eventId: z.uuid(),
  version: z.literal(1),
  brandId: brandIdSchema,
  /** `default` for jobs of the brand's default campaign. */
  campaignId: campaignIdSchema,
  jobId: z.uuid(),
  requested: z.number().int().positive(),
  /** Codes the job stored (all of them for a completed job; what it got to for a failed one). */
  generated: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
};

/** A generation job stored every code it was asked for. */
export const jobCompletedWebhookV1Schema = z
  .object({ ...jobFields, type: z.literal('job.completed') })
  .strict();

export type JobCompletedWebhookV1 = z.infer<typeof jobCompletedWebhookV1Schema>;

/** A generation job stopped short (the codes it stored stay). */
export const jobFailedWebhookV1Schema = z
  .object({ ...jobFields, type: z.literal('job.failed'), error: z.string().min(1).max(1_000) })
  .strict();

export type JobFailedWebhookV1 = z.infer<typeof jobFailedWebhookV1Schema>;

/**
 * The event id of a job's end: derived from the job, so however many replicas see the job finish
 * (or relay its end again) there is one delivery.
 */
export function jobEventId(jobId: string, type: 'job.completed' | 'job.failed'): string {
  return nameBasedEventId(`${type}\u0000${jobId}`);
}
