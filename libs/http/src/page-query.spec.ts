import { DomainError } from '@app/contracts';
import { PageCursorField, PageLimitField, pageLimit, type PageBounds } from './page-query';
import { createValidationPipe } from './validation.pipe';

const pipe = createValidationPipe();

/** What a listing answers to `query`: the limit it reads, or its refusal. */
function listingOf(bounds: PageBounds, cursorMaxLength?: number) {
  class Query {
    @PageLimitField(bounds) limit?: string;
    @PageCursorField(cursorMaxLength) cursor?: string;
  }
  return async (query: Record<string, unknown>): Promise<number | string> => {
    try {
      const checked = (await pipe.transform(query, { type: 'query', metatype: Query })) as Query;
      return pageLimit(checked.limit, bounds);
    } catch (error) {
      if (error instanceof DomainError) return `${error.code}: ${error.message}`;
      throw error;
    }
  };
}

describe('page queries', () => {
  const list = listingOf({ default: 20, max: 100 });

  it('default the limit when absent and accept 1 to max', async () => {
    expect(await list({})).toBe(20);
    expect(await list({ limit: '1' })).toBe(1);
    expect(await list({ limit: '100' })).toBe(100);
  });

  it.each(['0', '-1', '1.5', 'ten', '', '01', '1000', '9999999999', ['1', '2']])(
    'refuse the malformed limit %j with the other fields',
    async (limit) => {
      expect(await list({ limit })).toBe(
        'invalid_input: Invalid input: limit must be a whole number from 1 to 100',
      );
    },
  );

  it.each(['101', '999'])('refuse the limit %j, above the most', async (limit) => {
    expect(await list({ limit })).toBe('invalid_input: limit must be a whole number from 1 to 100');
  });

  it('take bounds of any size (code listing: 1 to 1000)', async () => {
    const codes = listingOf({ default: 100, max: 1_000 }, 64);
    expect(await codes({})).toBe(100);
    expect(await codes({ limit: '1000' })).toBe(1000);
    expect(await codes({ limit: '1001' })).toBe('invalid_input: limit must be a whole number from 1 to 1000');
    expect(await codes({ limit: '10000' })).toMatch(/^invalid_input: Invalid input: limit must be/);
    expect(await codes({ cursor: 'c'.repeat(64) })).toBe(100);
    expect(await codes({ cursor: 'c'.repeat(65) })).toBe(
      'invalid_input: Invalid input: cursor must be shorter than or equal to 64 characters',
    );
  });

  it('bound the cursor to 200 characters by default and refuse a non-string', async () => {
    expect(await list({ cursor: 'c'.repeat(200) })).toBe(20);
    expect(await list({ cursor: 'c'.repeat(201) })).toMatch(/cursor must be shorter than or equal to 200/);
    expect(await list({ cursor: ['a', 'b'] })).toMatch(/cursor must be a string/);
  });
});
