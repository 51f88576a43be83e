import fc from 'fast-check';
import { jsonHoldsNul, jsonNestsDeeperThan } from './json-body-guards';

/** The real nesting depth of a parsed JSON value. */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object')
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('jsonNestsDeeperThan', () => {
  it.each([
    ['{}', 1],
    ['{"count":1}', 1],
    ['[[]]', 2],
    ['{"a":{"b":[1,{"c":2}]}}', 4],
    ['"[[[[[[[[[["', 0],
    ['{"a":"\\"[[[[[[[[[["}', 1],
    ['{"a":"\\\\"}', 1],
  ])('measures %s as %i deep', (text, depth) => {
    expect(jsonNestsDeeperThan(text, depth)).toBe(false);
    if (depth > 0) expect(jsonNestsDeeperThan(text, depth - 1)).toBe(true);
  });

  it('catches the stack-overflow bodies early', () => {
    expect(jsonNestsDeeperThan('['.repeat(5_000) + ']'.repeat(5_000), 16)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":'.repeat(17) + '1' + '}'.repeat(17), 16)).toBe(true);
  });

  it('agrees with JSON.parse on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, max) => {
        const text = JSON.stringify(value);
        expect(jsonNestsDeeperThan(text, max)).toBe(depthOf(value) > max);
      }),
    );
  });
});

describe('jsonHoldsNul', () => {
  it.each([
    ['{"name":"\\u0000"}', true],
    ['{"name":"a\\u0000b"}', true],
    ['{"\\u0000":1}', true],
    ['{"name":"\\\\\\u0000"}', true],
    ['{"name":"\\\\u0000"}', false],
    ['{"name":"\\u00000"}', true],
    ['{"name":"\\u0001"}', false],
    ['{"name":"u0000"}', false],
  ])('%s: %s', (text, holds) => {
    expect(jsonHoldsNul(text)).toBe(holds);
  });

  it('agrees with the parsed value on any JSON string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const text = JSON.stringify({ value });
        expect(jsonHoldsNul(text)).toBe(value.includes('\u0000'));
      }),
    );
  });
});
