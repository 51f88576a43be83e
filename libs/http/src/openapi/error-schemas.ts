import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from '@app/contracts';
import type { ApiErrorBody, LegacyEnvelope } from '../response-bodies';

/*
 * The two error shapes of response-bodies.ts as OpenAPI schemas. openapi-document.ts points
 * every error response of the document at one of them, so no controller has to.
 */

/** components.schemas.ApiError: every error of every v1 route. */
@ApiSchema({ name: 'ApiError', description: 'The error body of every v1 route' })
export class ApiErrorSchema implements ApiErrorBody {
  @ApiProperty({ description: 'The HTTP status, repeated', example: 404 })
  readonly statusCode!: number;

  @ApiProperty({
    description: 'A stable machine-readable code; the status alone does not tell them apart',
    enum: ERROR_CODES,
    enumName: 'ErrorCode',
    example: 'brand_not_found',
  })
  readonly error!: ErrorCode;

  @ApiProperty({ description: 'For people; may change wording', example: 'Brand acme not found' })
  readonly message!: string;

  @ApiPropertyOptional({
    description: 'Machine-readable specifics of some errors (invalid fields, a refusal reason)',
    type: 'object',
    additionalProperties: true,
    example: { retryAfterSeconds: 30 },
  })
  readonly details?: Readonly<Record<string, unknown>>;
}

/** components.schemas.LegacyEnvelope: the predecessor's answer (success and error) on its routes. */
@ApiSchema({
  name: 'LegacyEnvelope',
  description: 'The predecessor’s envelope: success and error answers of the seed-compatible routes',
})
export class LegacyEnvelopeSchema implements LegacyEnvelope {
  @ApiProperty({ description: 'An HTTP status as a string ("201" on success)', example: '201' })
  readonly code!: string;

  @ApiProperty({ description: 'The code claimed, the job id, or empty', example: '' })
  readonly data!: string;

  @ApiProperty({ example: 'System generated discount codes successfully' })
  readonly message!: string;

  @ApiProperty({ enum: ['success', 'error'], example: 'success' })
  readonly status!: 'success' | 'error';
}
