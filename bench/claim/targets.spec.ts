import { run } from './run-record.fixture';
import type { RunRecord, Target } from './report';
import { servingCostTable, targetChecks } from './targets';

const oneBrand = (target: Target, cpu: Record<string, number>, failed = 0): RunRecord =>
  run(target, 100, failed, 0, { scenario: 'one-brand', cpuMsPerClaim: cpu });

const value = (checks: ReturnType<typeof targetChecks>, name: RegExp) =>
  checks.find((c) => name.test(c.name));

describe('targetChecks', () => {
  const clean = [
    oneBrand('raw-slot', { bench: 0.3 }),
    oneBrand('http-floor', { floor: 0.5 }),
    oneBrand('http-v1', { provider: 1.0 }),
    oneBrand('http-v1-repeat', { provider: 0.4 }),
  ];

  it('checks the provider CPU per claim, alone and over the floor', () => {
    const checks = targetChecks(clean, 64);
    expect(value(checks, /per v1 claim at/)).toMatchObject({ value: 1.0, met: true });
    expect(value(checks, /÷ bare floor/)).toMatchObject({ value: 2, met: true });
    expect(value(checks, /repeat/)).toMatchObject({ value: 0.4, met: true });
  });

  it('misses a target fed by a run with failed answers, whatever its CPU', () => {
    const runs = [...clean.filter((r) => r.target !== 'http-v1'), oneBrand('http-v1', { provider: 0.1 }, 3)];
    const checks = targetChecks(runs, 64);
    expect(value(checks, /per v1 claim at/)?.met).toBe(false);
    expect(value(checks, /÷ bare floor/)?.met).toBe(false);
    expect(value(checks, /claims\/s/)?.name).toMatch(/3 failed answers: no ratio/);
  });
});

describe('servingCostTable', () => {
  it("sets each serving process's CPU beside the floor's", () => {
    const table = servingCostTable(
      [
        oneBrand('http-floor', { floor: 0.5, provider: 9 }),
        oneBrand('http-v1', { provider: 1.25, floor: 0 }),
      ],
      64,
    );
    expect(table).toMatch(/http-floor \(floor\)\s+0\.50\s+1\.00/);
    expect(table).toMatch(/http-v1 \(provider\)\s+1\.25\s+2\.50/);
  });
});
