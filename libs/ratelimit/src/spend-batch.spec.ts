import { groupSpends, MAX_SPENDS_PER_BATCH, parseSpendBatch, spendsOf, type Spend } from './spend-batch';

const spend = (i: number, policy = 'p'): Spend => ({
  policy,
  key: `k${i}`,
  count: 1 + (i % 3),
  lastAt: 1_000 + i,
});

describe('spend batches', () => {
  it('round-trips through JSON, grouped by policy', () => {
    const spends = [spend(1), spend(2, 'q'), spend(3)];
    const [group] = groupSpends(spends);
    const batch = parseSpendBatch(JSON.parse(JSON.stringify({ v: 1, from: 'r1', seq: 7, spends: group })));
    expect(batch).toMatchObject({ from: 'r1', seq: 7 });
    expect(spendsOf(batch!)).toEqual([spend(1), spend(3), spend(2, 'q')]);
  });

  it(`splits into batches of at most ${MAX_SPENDS_PER_BATCH}, losing none`, () => {
    const spends = Array.from({ length: MAX_SPENDS_PER_BATCH * 2 + 5 }, (_, i) => spend(i));
    const groups = groupSpends(spends);
    expect(groups.map((g) => g.p!.length)).toEqual([MAX_SPENDS_PER_BATCH, MAX_SPENDS_PER_BATCH, 5]);
    expect(groupSpends([])).toEqual([]);
  });

  it.each([
    ['not an object', 'x'],
    ['another version', { v: 2, from: 'r', seq: 1, spends: {} }],
    ['no sender', { v: 1, from: '', seq: 1, spends: {} }],
    ['a zero seq', { v: 1, from: 'r', seq: 0, spends: {} }],
    ['spends as a list', { v: 1, from: 'r', seq: 1, spends: [] }],
    ['a short entry', { v: 1, from: 'r', seq: 1, spends: { p: [['k', 1]] } }],
    ['a negative count', { v: 1, from: 'r', seq: 1, spends: { p: [['k', -1, 5]] } }],
    ['a fractional count', { v: 1, from: 'r', seq: 1, spends: { p: [['k', 1.5, 5]] } }],
    ['a string time', { v: 1, from: 'r', seq: 1, spends: { p: [['k', 1, '5']] } }],
    ['a numeric key', { v: 1, from: 'r', seq: 1, spends: { p: [[5, 1, 5]] } }],
  ])('refuses a batch with %s', (_, value) => {
    expect(parseSpendBatch(value)).toBeUndefined();
  });
});
