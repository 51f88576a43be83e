import type { z } from 'zod';
import { COMMANDS, type CommandSubject } from '../subjects';
import { replenishPoolReplyV1Schema, replenishPoolRequestV1Schema } from './replenish-pool.command';

export * from './replenish-pool.command';

/** Request and reply schema of each command: both sides validate against them. */
export const COMMAND_SCHEMAS = {
  [COMMANDS.replenishPool]: { request: replenishPoolRequestV1Schema, reply: replenishPoolReplyV1Schema },
} as const satisfies Record<CommandSubject, { request: z.ZodType; reply: z.ZodType }>;

export type CommandRequest<C extends CommandSubject> = z.infer<(typeof COMMAND_SCHEMAS)[C]['request']>;
export type CommandReply<C extends CommandSubject> = z.infer<(typeof COMMAND_SCHEMAS)[C]['reply']>;
