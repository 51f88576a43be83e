import { etaSeconds, formatBytes, formatDuration, formatRate, renderFrame } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [44.6, '45s'],
    [59.4, '59s'],
    [60, '1m00s'],
    [125, '2m05s'],
    [3_599, '59m59s'],
    [3_720, '1h02m'],
    [null, '--'],
    [Infinity, '--'],
    [-1, '--'],
  ])('%p → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('etaSeconds', () => {
  it('is what is left over the rate', () => {
    expect(etaSeconds(50_000, 200_000, 3_000)).toBe(50);
  });
  it('is 0 once done, and unknown without a rate or a total', () => {
    expect(etaSeconds(200_000, 200_000, 0)).toBe(0);
    expect(etaSeconds(10, 200_000, 0)).toBeNull();
    expect(etaSeconds(10, null, 5)).toBeNull();
  });
});

describe('formatRate', () => {
  it('rounds large rates and keeps a decimal on small ones', () => {
    expect(formatRate(3_812.4)).toBe('3812/s');
    expect(formatRate(12.34)).toBe('12.3/s');
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(Number.NaN)).toBe('0/s');
    expect(formatRate(250, 'rows')).toBe('250 rows/s');
  });
});

describe('formatBytes', () => {
  it('uses decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_700_000)).toBe('1.7 MB');
    expect(formatBytes(2_500)).toBe('2.5 kB');
  });
  it('rounds to whole bytes below 1 kB (a rate is bytes over seconds)', () => {
    expect(formatBytes(4_000 / 7)).toBe('571 B');
    expect(formatBytes(999.6)).toBe('1000 B');
  });
});

describe('renderFrame', () => {
  it('draws a bar, the percentage, done/total, the rate and the ETA', () => {
    const line = renderFrame({ done: 84_000, total: 200_000, rate: 3_812, unit: 'codes', label: 'job 1a2b' });
    expect(line).toMatch(/^job 1a2b \[#+-+\] {2}42% 84000\/200000 codes 3812\/s ETA 30s$/);
  });

  it('fills the bar at the end and says ETA 0s', () => {
    const line = renderFrame({ done: 200_000, total: 200_000, rate: 4_000, unit: 'codes' });
    expect(line).toContain('100% 200000/200000 codes');
    expect(line).toContain('ETA 0s');
    expect(line).not.toContain('-]');
  });

  it('has no bar or ETA without a total', () => {
    expect(renderFrame({ done: 1_200, total: null, rate: 300, unit: 'rows', label: 'export' })).toBe(
      'export 1200 rows 300/s',
    );
  });

  it('shows sizes for bytes', () => {
    const line = renderFrame({ done: 500_000, total: 1_000_000, rate: 250_000, unit: 'bytes' });
    expect(line).toContain('50% 500.0 kB/1.0 MB 250.0 kB/s ETA 2s');
  });

  it('fits a narrow terminal with the shortest bar', () => {
    const line = renderFrame({ done: 1, total: 2, rate: 1, unit: 'codes' }, 40);
    expect(line).toMatch(/^\[#{5}-{5}\]/);
  });
});
