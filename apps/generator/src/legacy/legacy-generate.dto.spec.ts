import { IsInt, Max, Min } from 'class-validator';
import { DomainError } from '@app/contracts';
import { createValidationPipe } from '@app/http';
import { legacyBrandIdOf, legacyBrandIdStringProblem } from './legacy-brand-id';
import { LegacyGenerateRequest } from './legacy-generate.dto';

/** The request as it was before brand_id took strings: the reference for every refused non-string. */
class IntegerOnlyRequest {
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  brand_id!: number;

  @IsInt()
  @Min(1)
  @Max(10_000_000)
  number_of_codes!: number;
}

const pipe = createValidationPipe();

async function outcome(metatype: new () => object, body: unknown): Promise<string> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
    return 'accepted';
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

describe('LegacyGenerateRequest', () => {
  it.each<[string, unknown]>([
    ['1', { brand_id: 1, number_of_codes: 10 }],
    ['-1', { brand_id: -1, number_of_codes: 10 }],
    ['0', { brand_id: 0, number_of_codes: 10 }],
    ['1.5', { brand_id: 1.5, number_of_codes: 10 }],
    ['2^53', { brand_id: 2 ** 53, number_of_codes: 10 }],
    ['null', { brand_id: null, number_of_codes: 10 }],
    ['true', { brand_id: true, number_of_codes: 10 }],
    ['an object', { brand_id: { $gt: '' }, number_of_codes: 10 }],
    ['an array', { brand_id: [1], number_of_codes: 10 }],
    ['missing', { number_of_codes: 10 }],
    ['missing with a bad count', { number_of_codes: -1 }],
    ['-1 with a float count', { brand_id: -1, number_of_codes: 1.5 }],
  ])('answers a non-string brand_id (%s) exactly as the integer-only schema did', async (_name, body) => {
    expect(await outcome(LegacyGenerateRequest, body)).toBe(await outcome(IntegerOnlyRequest, body));
  });

  it.each(['1', '42', 'acme', 'acme.coffee-2_b', String(Number.MAX_SAFE_INTEGER), 'a'.repeat(64), '1a'])(
    'accepts the string %p',
    async (brandId) => {
      expect(await outcome(LegacyGenerateRequest, { brand_id: brandId, number_of_codes: 10 })).toBe(
        'accepted',
      );
    },
  );

  it.each([
    '',
    ' 1',
    '1 ',
    'abc!',
    '$gt',
    '-1',
    '0',
    '00',
    '01',
    '1.5',
    '1.0',
    '1e3',
    '9007199254740992',
    'a'.repeat(65),
    '.acme',
    'a#b',
  ])('refuses the string %p with a message naming both forms or the integer rule', async (brandId) => {
    const result = await outcome(LegacyGenerateRequest, { brand_id: brandId, number_of_codes: 10 });
    expect(result).toMatch(/^invalid_input: Invalid input: brand_id /);
    expect(result).toMatch(/integer from 1 to 9007199254740991/);
  });
});

describe('legacyBrandIdOf', () => {
  it('names the same brand for 1 and "1"', () => {
    expect(legacyBrandIdOf(1)).toBe('1');
    expect(legacyBrandIdOf('1')).toBe('1');
    expect(legacyBrandIdOf('acme')).toBe('acme');
  });

  it('has no problem with canonical integers up to 2^53 - 1 and refuses 2^53', () => {
    expect(legacyBrandIdStringProblem('9007199254740991')).toBeUndefined();
    expect(legacyBrandIdStringProblem('9007199254740992')).toMatch(/reads as a number/);
    expect(legacyBrandIdStringProblem('1'.repeat(400))).toMatch(/reads as a number/);
  });
});
