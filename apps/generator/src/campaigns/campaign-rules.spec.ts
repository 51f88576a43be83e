import { DomainError } from '@app/contracts';
import { assertDatesInOrder, campaignChangesOf, campaignFormatOf, datesAfter } from './campaign-rules';

const JUNE = new Date('2030-06-01T00:00:00.000Z');
const SEPTEMBER = new Date('2030-09-01T00:00:00.000Z');

function invalidInput(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('invalid_input');
    return (error as DomainError).message;
  }
  throw new Error('expected invalid_input');
}

describe('campaign dates', () => {
  it.each<[string, Date | undefined, Date | undefined]>([
    ['both absent', undefined, undefined],
    ['a start only', JUNE, undefined],
    ['an end only', undefined, SEPTEMBER],
    ['a start before the end', JUNE, SEPTEMBER],
  ])('accept %s', (_name, startsAt, endsAt) => {
    expect(() => assertDatesInOrder(startsAt, endsAt)).not.toThrow();
  });

  it.each<[string, Date, Date]>([
    ['a start after the end', SEPTEMBER, JUNE],
    ['a start equal to the end', JUNE, new Date(JUNE)],
  ])('refuse %s, naming both dates', (_name, startsAt, endsAt) => {
    const message = invalidInput(() => assertDatesInOrder(startsAt, endsAt));
    expect(message).toContain('startsAt');
    expect(message).toContain(endsAt.toISOString());
  });

  it('are checked as a PATCH leaves them: a change, an unchanged date, a removed one', () => {
    const campaign = { startsAt: JUNE, endsAt: SEPTEMBER };
    expect(datesAfter(campaign, { endsAt: new Date('2030-10-01T00:00:00Z') })).toEqual({
      startsAt: JUNE,
      endsAt: new Date('2030-10-01T00:00:00Z'),
    });
    expect(datesAfter(campaign, { startsAt: null })).toEqual({ startsAt: undefined, endsAt: SEPTEMBER });
    expect(datesAfter(campaign, {})).toEqual(campaign);
  });
});

describe('a campaign’s format', () => {
  it('keeps exactly the fields given', () => {
    expect(campaignFormatOf({ prefix: 'SUMMER-' })).toStrictEqual({ prefix: 'SUMMER-' });
    expect(campaignFormatOf({ length: 10, alphabet: 'abcdefghij' })).toStrictEqual({
      length: 10,
      alphabet: 'abcdefghij',
    });
    expect(campaignFormatOf({})).toStrictEqual({});
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['length 5', { length: 5 }, 'length'],
    ['length 33', { length: 33 }, 'length'],
    ['a lower-case prefix', { prefix: 'abc' }, 'prefix'],
    ['an alphabet of 9 characters', { alphabet: '123456789' }, 'alphabet'],
    ['an alphabet repeating a character', { alphabet: 'aabcdefghij' }, 'alphabet'],
  ])('is refused with the generation’s own rule: %s', (_name, format, field) => {
    expect(invalidInput(() => campaignFormatOf(format))).toContain(field);
  });
});

describe('a PATCH', () => {
  it('changes only what it names; null removes', () => {
    expect(campaignChangesOf({})).toStrictEqual({});
    expect(
      campaignChangesOf({
        name: 'Renamed',
        startsAt: '2030-06-01T00:00:00Z',
        endsAt: null,
        format: null,
        metadata: null,
        perUserLimit: 3,
      }),
    ).toStrictEqual({
      name: 'Renamed',
      startsAt: JUNE,
      endsAt: null,
      format: null,
      perUserLimit: 3,
      metadata: null,
    });
  });

  it('replaces the format and metadata whole, the format checked', () => {
    expect(campaignChangesOf({ format: { prefix: 'FALL-' }, metadata: { a: 'b' } })).toStrictEqual({
      format: { prefix: 'FALL-' },
      metadata: { a: 'b' },
    });
    expect(invalidInput(() => campaignChangesOf({ format: { prefix: 'fall' } }))).toContain('prefix');
  });
});
