import fc from 'fast-check';
import { bearerToken } from './bearer';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer    abc', 'abc'],
    ['Bearer\tabc', 'abc'],
    ['  Bearer abc  ', 'abc'],
    ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig-_', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig-_'],
    ['Bearer dk_AAAA+/==', 'dk_AAAA+/=='],
    [`Bearer ${'x'.repeat(4096)}`, 'x'.repeat(4096)],
  ])('reads %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    ['undefined', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no space after the scheme', 'Bearerabc'],
    ['a token with a space', 'Bearer abc def'],
    ['a token with a control character', 'Bearer abc\u0000def'],
    ['a non-ASCII token', 'Bearer tökén'],
    ['a token over 4096 characters', `Bearer ${'x'.repeat(4097)}`],
    ['a repeated header (array)', ['Bearer a', 'Bearer b']],
    ['an array of one', ['Bearer a']],
  ])('refuses %s', (_, header) => {
    expect(bearerToken(header)).toBeNull();
  });

  it('returns any printable-ASCII token unchanged', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e]{1,200}$/), (token) => {
        expect(bearerToken(`Bearer ${token}`)).toBe(token);
      }),
    );
  });

  it('never throws and returns either null or a printable token', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        const token = bearerToken(header);
        expect(token === null || /^[\x21-\x7e]{1,4096}$/.test(token)).toBe(true);
      }),
    );
  });
});
