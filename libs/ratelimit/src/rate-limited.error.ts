import { DomainError } from '@app/contracts';

/** The answer to a caller over a limit: 429 with Retry-After, whole seconds, at least 1. */
export function rateLimitedError(message: string, retryAfterMs: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new DomainError('rate_limited', `${message}; retry in ${retryAfterSeconds} s`, {
    retryAfterSeconds,
  });
}
