import fc from 'fast-check';
import { requestIdOf } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const withHeader = (value: string | string[] | undefined) => ({ headers: { 'x-request-id': value } });

describe('requestIdOf', () => {
  it.each(['abc-123', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'trace:01HZX.9/x+y=', 'a'.repeat(128)])(
    'keeps the sane incoming id %j',
    (id) => {
      expect(requestIdOf(withHeader(id))).toBe(id);
    },
  );

  it.each([
    ['none', undefined],
    ['an empty one', ''],
    ['one of 129 characters', 'a'.repeat(129)],
    ['one with a space', 'a b'],
    ['one with a newline', 'a\nb'],
    ['one with markup', '<script>'],
    ['one starting with "-"', '-abc'],
    ['a repeated header', ['a', 'b']],
    ['non-ASCII', 'réq'],
  ])('generates a UUID for %s', (_, value) => {
    expect(requestIdOf(withHeader(value))).toMatch(UUID);
  });

  it('never returns anything outside the safe alphabet, whatever comes in', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (value) => {
        expect(requestIdOf(withHeader(value))).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}$/);
      }),
    );
  });

  it('gives each request without one a different id', () => {
    expect(requestIdOf(withHeader(undefined))).not.toBe(requestIdOf(withHeader(undefined)));
  });
});
