import { BatchWriter } from './batch-writer';

function writer(write: (items: number[]) => Promise<void>, maxDelayMs = 60_000) {
  return new BatchWriter<number>({ name: 'test batch', maxItems: 3, maxDelayMs }, write);
}

describe('BatchWriter', () => {
  it('writes at once when maxItems are waiting, in one call', async () => {
    const writes: number[][] = [];
    const batch = writer((items) => {
      writes.push(items);
      return Promise.resolve();
    });
    for (const n of [1, 2, 3]) batch.add(n);
    expect(writes).toEqual([[1, 2, 3]]);
    expect(await batch.flush()).toBe(true);
    expect(writes).toHaveLength(1);
  });

  it('writes fewer items once maxDelayMs has passed since the first', async () => {
    const written = new Promise<number[]>((resolve) => {
      const batch = writer((items) => {
        resolve(items);
        return Promise.resolve();
      }, 5);
      batch.add(1);
      batch.add(2);
    });
    expect(await written).toEqual([1, 2]);
  });

  it('keeps the items of a failed write for the next, and never writes twice at once', async () => {
    const writes: number[][] = [];
    let inWrite = 0;
    let fail = true;
    const batch = writer(async (items) => {
      expect(++inWrite).toBe(1);
      writes.push(items);
      await new Promise((resolve) => setImmediate(resolve));
      inWrite--;
      if (fail) throw new Error('database down');
    });
    batch.add(1);
    const first = batch.flush();
    batch.add(2);
    expect(await first).toBe(false);
    fail = false;
    expect(await batch.flush()).toBe(true);
    expect(writes).toEqual([[1], [1, 2]]);
  });

  it('lets several flushes waiting on one write start one write at a time', async () => {
    let inWrite = 0;
    let most = 0;
    const writes: number[][] = [];
    const batch = writer(async (items) => {
      most = Math.max(most, ++inWrite);
      writes.push(items);
      await new Promise((resolve) => setImmediate(resolve));
      inWrite--;
    });
    batch.add(1);
    const first = batch.flush();
    batch.add(2);
    const second = batch.flush();
    batch.add(3);
    const third = batch.flush();
    expect(await Promise.all([first, second, third])).toEqual([true, true, true]);
    expect(most).toBe(1);
    expect(writes.flat().sort()).toEqual([1, 2, 3]);
  });
});
