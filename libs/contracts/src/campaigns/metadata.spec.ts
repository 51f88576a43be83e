import { metadataProblem } from './metadata';

describe('metadataProblem', () => {
  it.each([
    {},
    { channel: 'web', 'store_id-2': '' },
    Object.fromEntries([...Array(20).keys()].map((i) => [`k${i}`, 'v'])),
    { ['k'.repeat(40)]: 'x'.repeat(500) },
  ])('accepts %j', (value) => {
    expect(metadataProblem(value)).toBeNull();
  });

  it.each([null, 'x', 1, []])('refuses %j as not an object', (value) => {
    expect(metadataProblem(value)).toBe('metadata must be an object of string values');
  });

  it.each<[string, unknown, string]>([
    [
      '21 entries',
      Object.fromEntries([...Array(21).keys()].map((i) => [`k${i}`, 'v'])),
      'metadata must have at most 20 entries',
    ],
    [
      'a key with a dot',
      { 'a.b': 'x' },
      'metadata keys must be 1–40 letters, digits, "_" or "-" (got "a.b")',
    ],
    ['a key with a $', { $set: 'x' }, 'metadata keys must be 1–40 letters, digits, "_" or "-" (got "$set")'],
    ['an empty key', { '': 'x' }, 'metadata keys must be 1–40 letters, digits, "_" or "-" (got "")'],
    ['a number', { n: 1 }, 'metadata.n must be a string'],
    ['a value of 501 characters', { note: 'x'.repeat(501) }, 'metadata.note must be at most 500 characters'],
  ])('refuses %s', (_what, value, problem) => {
    expect(metadataProblem(value)).toBe(problem);
  });

  it('shows a long bad key cut short', () => {
    expect(metadataProblem({ ['.'.repeat(1000)]: 'x' })).toContain(`"${'.'.repeat(41)}"`);
  });
});
