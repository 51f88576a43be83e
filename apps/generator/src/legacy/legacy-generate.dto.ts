import { ApiProperty } from '@nestjs/swagger';
import { isInt, IsInt, max, Max, min, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { ID_PATTERN } from '@app/contracts';
import {
  LEGACY_BRAND_ID_MAX,
  LEGACY_BRAND_ID_STRING_DESCRIPTION,
  legacyBrandIdStringProblem,
} from './legacy-brand-id';

/**
 * The integer rules of brand_id, skipped for strings (checked by LegacyBrandIdString instead).
 * Same names, constraints and messages as IsInt / Min / Max, so that every non-string brand_id
 * that was refused before is refused with the very same body.
 */
const UnlessString = (
  name: string,
  test: (value: unknown) => boolean,
  message: string,
  constraint?: number,
) =>
  ValidateBy({
    name,
    constraints: constraint === undefined ? [] : [constraint],
    validator: {
      validate: (value: unknown) => typeof value === 'string' || test(value),
      defaultMessage: () => message,
    },
  });

const LegacyBrandIdString = () =>
  ValidateBy({
    name: 'isLegacyBrandIdString',
    validator: {
      validate: (value: unknown) =>
        typeof value !== 'string' || legacyBrandIdStringProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) =>
        legacyBrandIdStringProblem(String(args?.value)) ?? 'brand_id is invalid',
    },
  });

export class LegacyGenerateRequest {
  @ApiProperty({
    oneOf: [
      { type: 'integer', minimum: 1, maximum: LEGACY_BRAND_ID_MAX },
      { type: 'string', pattern: ID_PATTERN.source },
    ],
    example: 1,
    description:
      `The predecessor's integer id, or ${LEGACY_BRAND_ID_STRING_DESCRIPTION}. ` +
      'A brand made with POST /v1/brands (e.g. "acme") is filled by its id.',
  })
  @UnlessString('isInt', (value) => isInt(value), '$property must be an integer number')
  @UnlessString('min', (value) => min(value, 1), '$property must not be less than $constraint1', 1)
  @UnlessString(
    'max',
    (value) => max(value, LEGACY_BRAND_ID_MAX),
    '$property must not be greater than $constraint1',
    LEGACY_BRAND_ID_MAX,
  )
  @LegacyBrandIdString()
  brand_id!: number | string;

  @ApiProperty({ example: 100, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  number_of_codes!: number;
}
