import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_DESCRIPTION } from './idempotency-key';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Marks a create route as honouring Idempotency-Key. The route must have an authentication guard
 * (keys are kept per caller) and the app the `idempotencyKeys` collection (PersistenceModule).
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_HEADER,
      required: false,
      description:
        `${IDEMPOTENCY_KEY_DESCRIPTION}. Repeated with the same request within 24 h, the first answer ` +
        'comes back (status, body, Location; header Idempotent-Replayed: true) and nothing is done again. ' +
        'Answers kept: 2xx and the 4xx the route reached by acting (not 400, 408, 429 or 5xx, which may be retried).',
    }),
    ApiResponse({
      status: 409,
      description:
        'idempotency_key_in_use: the first request with this Idempotency-Key is still being served',
    }),
    ApiResponse({
      status: 422,
      description: 'idempotency_key_reused: this Idempotency-Key was used for a different request',
    }),
  );
}
