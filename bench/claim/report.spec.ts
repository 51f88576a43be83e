import { compare, sideBySide } from './report';
import { run } from './run-record.fixture';

describe('compare', () => {
  it('gives the ratios of two clean runs', () => {
    const [c] = compare(
      [run('legacy-repeat-caller', 50), run('raw-slot', 100)],
      'legacy-repeat-caller',
      'raw-slot',
    );
    expect(c).toMatchObject({ failedAnswers: 0, throughputRatio: 0.5, p99Ratio: 1 });
  });

  it('gives no ratio when answers failed: 115 of 128 refused is not a throughput', () => {
    const runs = [run('legacy-repeat-caller', 13, 115), run('raw-slot', 100, 0, 2)];
    const [c] = compare(runs, 'legacy-repeat-caller', 'raw-slot');
    expect(c!.failedAnswers).toBe(117);
    expect(c!.throughputRatio).toBeNaN();
    expect(c!.p99Ratio).toBeNaN();
    const table = sideBySide(
      runs,
      'legacy',
      ['raw-slot', 'legacy-repeat-caller'],
      [{ title: 'repeat ÷ raw', subject: 'legacy-repeat-caller', baseline: 'raw-slot' }],
    );
    expect(table).toContain('117 failed');
  });
});
