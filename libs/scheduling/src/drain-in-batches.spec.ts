import { drainInBatches } from './drain-in-batches';

describe('drainInBatches', () => {
  /** A backlog of `left` records, handled up to `limit` per call; records each limit asked for. */
  function backlog(left: number) {
    const limits: number[] = [];
    const step = (limit: number) => {
      limits.push(limit);
      const selected = Math.min(left, limit);
      left -= selected;
      return Promise.resolve(selected);
    };
    return { step, limits, left: () => left };
  }

  it('goes on while batches come back full, and stops at the first short one', async () => {
    const b = backlog(250);
    expect(await drainInBatches(b.step, { size: 100, maxBatches: 10 })).toBe(250);
    expect(b.limits).toEqual([100, 100, 100]);
  });

  it('asks once more after an exactly full last batch, and stops on the empty one', async () => {
    const b = backlog(200);
    expect(await drainInBatches(b.step, { size: 100, maxBatches: 10 })).toBe(200);
    expect(b.limits).toEqual([100, 100, 100]);
  });

  it('runs at most maxBatches batches, leaving the rest for the next run', async () => {
    const b = backlog(1_000);
    expect(await drainInBatches(b.step, { size: 100, maxBatches: 3 })).toBe(300);
    expect(b.left()).toBe(700);
  });

  it('stops between batches once stopping() says so', async () => {
    const b = backlog(1_000);
    let calls = 0;
    expect(await drainInBatches(b.step, { size: 100, maxBatches: 10 }, () => calls++ >= 2)).toBe(200);
  });

  it('does nothing on an empty backlog but look once', async () => {
    const b = backlog(0);
    expect(await drainInBatches(b.step, { size: 100, maxBatches: 10 })).toBe(0);
    expect(b.limits).toEqual([100]);
  });
});
