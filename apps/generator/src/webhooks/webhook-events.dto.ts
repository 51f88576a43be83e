import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsOptional,
  type ValidationArguments,
} from 'class-validator';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from '@app/contracts';

/** Longer lists are refused: each type once is six, and repeats only cost. */
const MAX_LISTED = 20;
const KNOWN = WEBHOOK_EVENT_TYPES.join(', ');

/** Names the unknown entries (shortened: the message must not echo a large body back). */
function unknownTypes(args: ValidationArguments): string {
  const values: unknown[] = Array.isArray(args.value) ? args.value : [args.value];
  const unknown = values.filter((value) => !isWebhookEventType(value));
  const named = unknown.slice(0, 5).map((value) => JSON.stringify(value)?.slice(0, 40) ?? String(value));
  return `events has unknown event type(s) ${named.join(', ')}; known: ${KNOWN}`;
}

/**
 * The `events` of a webhook's settings: which event types the brand's webhook receives. Absent:
 * unchanged (a new webhook gets the default, code.claimed); null: back to the default.
 */
export function WebhookEventsField() {
  return applyDecorators(
    ApiPropertyOptional({
      enum: WEBHOOK_EVENT_TYPES,
      isArray: true,
      nullable: true,
      example: ['code.claimed', 'code.redeemed', 'job.completed'],
      description:
        'The event types the webhook receives (each listed once is enough). Absent: unchanged, ' +
        'code.claimed for a new webhook; null: back to that default.',
    }),
    IsOptional(),
    IsArray({ message: `events must be a list of event types (${KNOWN})` }),
    ArrayNotEmpty({
      message: 'events must name at least one event type; remove the webhook (null) to receive none',
    }),
    ArrayMaxSize(MAX_LISTED, { message: `events must list at most ${MAX_LISTED} entries` }),
    IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: unknownTypes }),
  );
}
