import type { PipeTransform } from '@nestjs/common';
import { DomainError, ID_PATTERN, ID_PATTERN_DESCRIPTION } from '@app/contracts';

/**
 * One id in the path, checked against ID_PATTERN with the validation pipe's answer, without its
 * DTO machinery (class-transformer and class-validator cost a claim more than its JWT check).
 * For hot routes; the others keep their DTOs.
 */
export class IdParamPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    if (typeof value === 'string' && ID_PATTERN.test(value)) return value;
    throw new DomainError('invalid_input', `Invalid input: ${this.name} must be ${ID_PATTERN_DESCRIPTION}`);
  }
}
