import { validateImportEntry } from './import-entry';

const now = new Date('2030-01-01T00:00:00Z');
const check = (code: unknown, expiresAt?: unknown) => validateImportEntry({ line: 7, code, expiresAt }, now);

describe('validateImportEntry', () => {
  it('accepts 4–64 URL-safe characters, with or without an expiry in the future', () => {
    expect(check('ABCD')).toEqual({ ok: { line: 7, code: 'ABCD' } });
    expect(check('a-b_c.d~9')).toEqual({ ok: { line: 7, code: 'a-b_c.d~9' } });
    expect(check('X'.repeat(64), '')).toEqual({ ok: { line: 7, code: 'X'.repeat(64) } });
    expect(check('ABCD', '2030-01-02T00:00:00+02:00')).toEqual({
      ok: { line: 7, code: 'ABCD', expiresAt: new Date('2030-01-01T22:00:00Z') },
    });
  });

  it.each([
    ['ABC', 'too short'],
    ['X'.repeat(65), 'too long'],
    ['AB#CD', 'the holder marker'],
    ['AB CD', 'a space'],
    ['ABÇD', 'a non-ASCII letter'],
    ['AB/CD', 'a slash'],
  ])('rejects %j (%s) with the line and the code', (code) => {
    const result = check(code);
    expect(result).toEqual({
      rejected: {
        line: 7,
        code: code.slice(0, 64),
        reason: expect.stringContaining('4–64 characters') as unknown,
      },
    });
  });

  it('rejects a missing code', () => {
    expect(check(undefined)).toEqual({ rejected: { line: 7, reason: 'missing code' } });
    expect(check('')).toEqual({ rejected: { line: 7, reason: 'missing code' } });
    expect(check(1234)).toEqual({ rejected: { line: 7, reason: 'missing code' } });
  });

  it('rejects an expiry that is not ISO 8601 or not in the future', () => {
    const bad = { rejected: { line: 7, code: 'ABCD', reason: 'expiresAt must be an ISO 8601 date-time' } };
    expect(check('ABCD', 'tomorrow')).toEqual(bad);
    expect(check('ABCD', '2030-13-45T00:00:00Z')).toEqual(bad);
    expect(check('ABCD', 1_900_000_000_000)).toEqual(bad);
    expect(check('ABCD', '2030-01-01T00:00:00Z')).toEqual({
      rejected: { line: 7, code: 'ABCD', reason: 'expiresAt must be in the future' },
    });
  });

  it('passes on a problem found while parsing', () => {
    expect(validateImportEntry({ line: 3, code: 'ABCD', problem: 'too many fields' }, now)).toEqual({
      rejected: { line: 3, code: 'ABCD', reason: 'too many fields' },
    });
  });
});
