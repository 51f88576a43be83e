import { Readable } from 'node:stream';
import { csvField, csvLine, csvTransform } from './csv';

describe('csvField / csvLine', () => {
  it('quotes only what needs quoting, doubling quotes', () => {
    expect(csvField('ABC123')).toBe('ABC123');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(new Date('2030-01-01T00:00:00Z'))).toBe('2030-01-01T00:00:00.000Z');
    expect(csvLine(['a', null, 3])).toBe('a,,3\r\n');
  });
});

describe('csvTransform', () => {
  const collect = async (rows: string[][]) => {
    const out: string[] = [];
    for await (const chunk of Readable.from(rows).pipe(csvTransform<string[]>(['x', 'y'], (r) => r))) {
      out.push(String(chunk));
    }
    return out.join('');
  };

  it('writes the header, then one line per row', async () => {
    expect(
      await collect([
        ['1', 'a,b'],
        ['2', ''],
      ]),
    ).toBe('x,y\r\n1,"a,b"\r\n2,\r\n');
  });

  it('writes the header alone when there are no rows', async () => {
    expect(await collect([])).toBe('x,y\r\n');
  });

  it('stops pulling rows while its reader does not read (backpressure)', async () => {
    let pulled = 0;
    const source = new Readable({
      objectMode: true,
      highWaterMark: 4,
      read() {
        pulled++;
        this.push(['row', String(pulled)]);
      },
    });
    const csv = source.pipe(csvTransform<string[]>(['x', 'y'], (r) => r));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Nobody reads `csv`: only the buffers' worth of rows was pulled, not an endless stream.
    expect(pulled).toBeLessThan(2_000);
    const before = pulled;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pulled).toBe(before);
    source.destroy();
    csv.destroy();
  });
});
