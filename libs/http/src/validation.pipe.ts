import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '@app/contracts';

function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      error.constraints?.whitelistValidation ? `unknown field "${path}"` : text.replace(error.property, path),
    );
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

/**
 * Strict input validation for every route: unknown fields are refused (which also refuses
 * MongoDB operators like {"$gt": ""} smuggled into a body), no implicit type conversion.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new DomainError('invalid_input', `Invalid input: ${describeValidationErrors(errors).join('; ')}`),
  });
}
