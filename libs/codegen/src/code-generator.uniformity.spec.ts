import { randomBytes } from 'node:crypto';
import { resolveCodeFormat } from './code-format';
import { CodeGenerator } from './code-generator';

/**
 * Chi-square goodness-of-fit of generated characters against the uniform distribution, on the
 * real crypto source. Each fair test fails by chance once in 1,000 runs (p = 0.001), the price of
 * using real randomness; the biased control below shows the check would catch modulo bias.
 */
const SAMPLE_CHARACTERS = 1_000_000;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Upper 0.001 quantile of the standard normal distribution. */
const Z_P001 = 3.090232306167813;

/**
 * Wilson–Hilferty: (X/k)^(1/3) is close to normal with mean 1 - 2/(9k) and variance 2/(9k), so the
 * chi-square critical value is k·(1 - 2/(9k) + z·√(2/(9k)))³. Within 0.2% of exact tables for
 * k ≥ 30, which is all this suite uses, and avoids a statistics dependency.
 */
function chiSquareCritical(degreesOfFreedom: number, z = Z_P001): number {
  const v = 2 / (9 * degreesOfFreedom);
  return degreesOfFreedom * (1 - v + z * Math.sqrt(v)) ** 3;
}

function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
}

function characterCounts(codes: readonly string[], alphabet: string): number[] {
  const indexOf = new Map([...alphabet].map((c, i) => [c, i]));
  const counts = new Array<number>(alphabet.length).fill(0);
  for (const code of codes) for (const c of code) counts[indexOf.get(c)!]!++;
  return counts;
}

/** The mistake rejection sampling prevents: every byte used, the first 256 % k characters favoured. */
function moduloBiasedCounts(alphabetSize: number, characters: number): number[] {
  const counts = new Array<number>(alphabetSize).fill(0);
  for (const byte of randomBytes(characters)) counts[byte % alphabetSize]!++;
  return counts;
}

function generatedCounts(alphabet: string, length: number): number[] {
  const generator = new CodeGenerator(resolveCodeFormat({ alphabet, length }));
  const codes = generator.fill(SAMPLE_CHARACTERS / length);
  return characterCounts(codes, alphabet);
}

describe('uniformity of generated characters (chi-square, p = 0.001)', () => {
  it('uses a critical value that matches published tables', () => {
    expect(chiSquareCritical(30)).toBeCloseTo(59.703, 0);
    expect(chiSquareCritical(60)).toBeCloseTo(99.607, 0);
  });

  it('finds no bias with the default 31-character alphabet', () => {
    const counts = generatedCounts(resolveCodeFormat().alphabet, 8);
    expect(counts.reduce((a, b) => a + b)).toBe(SAMPLE_CHARACTERS);
    expect(chiSquare(counts)).toBeLessThan(chiSquareCritical(counts.length - 1));
  });

  it('finds no bias with a 62-character alphabet, where 256 % 62 = 8 would show modulo bias', () => {
    const counts = generatedCounts(ALPHANUMERIC, 32);
    expect(counts.reduce((a, b) => a + b)).toBe(SAMPLE_CHARACTERS);
    expect(chiSquare(counts)).toBeLessThan(chiSquareCritical(counts.length - 1));
  });

  it('has teeth: a modulo-biased draw over 62 characters fails the same check', () => {
    const counts = moduloBiasedCounts(ALPHANUMERIC.length, SAMPLE_CHARACTERS);
    expect(chiSquare(counts)).toBeGreaterThan(chiSquareCritical(counts.length - 1));
  });
});
