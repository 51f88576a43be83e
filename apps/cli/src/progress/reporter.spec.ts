import { createReporter, progressMode } from './reporter';

const ERASE_LINE_END = '\x1b[K';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (text: string) => writes.push(text) } };
}

describe('progressMode', () => {
  it('draws bars only on a terminal, plain lines elsewhere, nothing with --json', () => {
    expect(progressMode({ json: false, isTTY: true })).toBe('bar');
    expect(progressMode({ json: false, isTTY: false })).toBe('lines');
    expect(progressMode({ json: true, isTTY: true })).toBe('off');
  });
});

describe('createReporter', () => {
  it('redraws the bar in place at most every 100 ms; finish draws the last state and ends the line', () => {
    let now = 0;
    const { writes, stream } = fakeStream(true);
    const bar = createReporter('bar', stream, { unit: 'codes' }, () => now);
    bar.update(0, 100, 0);
    now = 50;
    bar.update(10, 100, 200); // within 100 ms of the last frame: not drawn
    now = 150;
    bar.update(20, 100, 200);
    now = 160;
    bar.update(30, 100, 200); // not drawn now, but it is the last state
    bar.finish();
    expect(writes).toHaveLength(4);
    // Each frame: back to the line's start, the frame, erase what an older, longer frame left.
    expect(writes.slice(0, 3).every((w) => w.startsWith('\r') && w.endsWith(ERASE_LINE_END))).toBe(true);
    expect(writes[0]).toContain(' 0/100 codes 0/s ETA --');
    expect(writes[1]).toContain(' 20/100 codes 200/s ETA 0s');
    expect(writes[2]).toContain(' 30/100 codes 200/s ETA 0s');
    expect(writes[3]).toBe('\n');
  });

  it('measures the rate itself when the source gives none', () => {
    let now = 0;
    const { writes, stream } = fakeStream(true);
    const bar = createReporter('bar', stream, { unit: 'rows' }, () => now);
    now = 2_000;
    bar.update(1_000, null);
    expect(writes[0]).toContain('1000 rows 500/s');
  });

  it('writes whole lines now and then when stderr is not a terminal', () => {
    let now = 0;
    const { writes, stream } = fakeStream(false);
    const lines = createReporter('lines', stream, { unit: 'codes' }, () => now);
    lines.update(1, 10, 1);
    now = 1_000;
    lines.update(2, 10, 1);
    lines.finish();
    expect(writes).toEqual([
      expect.stringMatching(/ 1\/10 codes .*\n$/),
      expect.stringMatching(/ 2\/10 codes/),
    ]);
    expect(writes.join('')).not.toContain('\r');
  });

  it('writes nothing when off', () => {
    const { writes, stream } = fakeStream(true);
    const off = createReporter('off', stream, { unit: 'codes' });
    off.update(1, 2, 3);
    off.finish();
    expect(writes).toEqual([]);
  });
});
