import fc from 'fast-check';
import { type CodeFormat, DEFAULT_ALPHABET, InvalidCodeFormatError, resolveCodeFormat } from './code-format';
import { CodeGenerator, rejectionCutoff } from './code-generator';
import { validFormat } from '../test/code-format.arbitraries';

/** Serves `script` in order, in the chunk sizes asked for, and records how far it was read. */
function scriptedSource(script: readonly number[]) {
  const state = { read: 0 };
  const source = (size: number) => {
    const chunk = Buffer.from(script.slice(state.read, state.read + size));
    state.read += chunk.length;
    return chunk;
  };
  return { source, state };
}

describe('CodeGenerator', () => {
  it('makes codes of the prefix plus `length` characters of the alphabet, for any valid format', () => {
    fc.assert(
      fc.property(validFormat, (format) => {
        const generator = new CodeGenerator(format);
        // One expect per code, not per character: jest's matchers dominate the runtime otherwise.
        for (const code of generator.fill(20)) {
          expect(code.startsWith(format.prefix)).toBe(true);
          const randomPart = [...code.slice(format.prefix.length)];
          expect(randomPart).toHaveLength(format.length);
          expect(randomPart.every((c) => format.alphabet.includes(c))).toBe(true);
        }
      }),
    );
  });

  it('defaults to 8 characters of the default alphabet', () => {
    const code = new CodeGenerator(resolveCodeFormat()).next();
    expect(code).toMatch(new RegExp(`^[${DEFAULT_ALPHABET}]{8}$`));
  });

  it('skips bytes at or above the cutoff and maps the others to alphabet[byte % size]', () => {
    const format = resolveCodeFormat({ length: 6, prefix: 'X-' });
    expect(rejectionCutoff(31)).toBe(248);
    const { source, state } = scriptedSource([248, 0, 255, 30, 31, 249, 247, 62, 250, 93]);
    // Kept: 0, 30, 31, 247, 62, 93 → indices 0, 30, 0, 30, 0, 0. Skipped: 248, 255, 249, 250.
    expect(new CodeGenerator(format, source).next()).toBe('X-2Z2Z22');
    expect(state.read).toBe(10);
  });

  it('never maps a rejected byte, whatever the alphabet and the byte stream', () => {
    const scenario = validFormat.chain((format) => {
      const size = format.alphabet.length;
      const cutoff = rejectionCutoff(size);
      const count = 3;
      const accepted = fc.array(fc.integer({ min: 0, max: cutoff - 1 }), {
        minLength: format.length * count,
        maxLength: format.length * count,
      });
      // When 256 is a multiple of the size (16, 32, 64) no byte is rejected.
      const rejectedRun =
        cutoff === 256
          ? fc.constant<number[]>([])
          : fc.array(fc.integer({ min: cutoff, max: 255 }), { maxLength: 4 });
      const runs = fc.array(rejectedRun, {
        minLength: format.length * count,
        maxLength: format.length * count,
      });
      return fc.record({ format: fc.constant(format), accepted, runs, count: fc.constant(count) });
    });
    fc.assert(
      fc.property(scenario, ({ format, accepted, runs, count }) => {
        const script = accepted.flatMap((byte, i) => [...runs[i]!, byte]);
        const { source, state } = scriptedSource(script);
        const codes = new CodeGenerator(format, source).fill(count);
        const randomPart = accepted.map((byte) => format.alphabet[byte % format.alphabet.length]).join('');
        expect(codes.map((code) => code.slice(format.prefix.length)).join('')).toBe(randomPart);
        expect(state.read).toBe(script.length);
      }),
    );
  });

  it('computes the cutoff as the largest multiple of the alphabet size within a byte', () => {
    expect([10, 31, 62, 64, 66].map(rejectionCutoff)).toEqual([250, 248, 248, 256, 198]);
  });

  it('fails instead of spinning when an injected source runs dry', () => {
    const { source } = scriptedSource([255, 255, 1]);
    expect(() => new CodeGenerator(resolveCodeFormat(), source).next()).toThrow('no bytes');
  });

  it('returns exactly `count` codes and refuses a count that is not a whole number', () => {
    const generator = new CodeGenerator(resolveCodeFormat());
    expect(generator.fill(0)).toEqual([]);
    expect(generator.fill(1000)).toHaveLength(1000);
    for (const count of [-1, 1.5, Number.NaN]) expect(() => generator.fill(count)).toThrow(RangeError);
  });

  it('validates a hand-built format', () => {
    const handBuilt: CodeFormat = { length: 4, prefix: '', alphabet: DEFAULT_ALPHABET };
    expect(() => new CodeGenerator(handBuilt)).toThrow(InvalidCodeFormatError);
  });
});
