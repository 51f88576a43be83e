import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DomainError } from '@app/contracts';

/** A listing's `limit`: what an absent one means, and the most one may ask for. */
export interface PageBounds {
  readonly default: number;
  readonly max: number;
}

const limitMessage = (bounds: PageBounds) => `limit must be a whole number from 1 to ${bounds.max}`;

/**
 * The `limit` query parameter of a listing, a string (queries are not converted). The DTO checks
 * its form, a whole number of at most as many digits as `bounds.max`, with the query's other
 * fields; pageLimit then checks it is not above `bounds.max`. The two steps keep the answers the
 * listings have always given: "Invalid input: limit must…" for a malformed limit, the bare
 * "limit must…" for one too large.
 */
export const PageLimitField = (bounds: PageBounds): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      example: String(bounds.default),
      description: `1–${bounds.max} (default ${bounds.default})`,
    }),
    IsOptional(),
    Matches(new RegExp(`^[1-9]\\d{0,${String(bounds.max).length - 1}}$`), { message: limitMessage(bounds) }),
  );

/** The limit a query checked by PageLimitField asks for, or the listing's default. */
export function pageLimit(limit: string | undefined, bounds: PageBounds): number {
  if (limit === undefined) return bounds.default;
  const value = Number(limit);
  // Also refuses NaN, should a caller pass a limit no PageLimitField checked.
  if (!(value <= bounds.max)) throw new DomainError('invalid_input', limitMessage(bounds));
  return value;
}

/**
 * The `cursor` query parameter: the nextCursor of the previous page, bounded before the listing
 * decodes it.
 */
export const PageCursorField = (maxLength = 200): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description: 'nextCursor of the previous page' }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
  );
