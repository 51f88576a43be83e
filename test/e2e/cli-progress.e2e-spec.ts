/**
 * What a person sees: `discounts codes generate --count 200000 --wait` run inside a real
 * pseudo-terminal (util-linux `script`), against running apps with the default chunking (20
 * chunks of 10,000). The captured screen must show the bar redrawn in place with growing counts,
 * a rate and an ETA, ending at 200000/200000.
 *
 * Timing: a 200,000-code job took 52 s on the SQLite dev server and ~15–30 s on the PostgreSQL
 * one (README, "Generation figures"); the limits below allow several times that on a shared machine.
 */
import { runCliInTerminal } from './support/cli';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { createBrand } from './support/flows';

const COUNT = 200_000;
const JOB_LIMIT_MS = 480_000;

let stack: E2eStack;
let key: string;

beforeAll(async () => {
  stack = await startE2eStack({ label: 'cli-progress' });
  key = (await createBrand(stack, { id: 'acme', name: 'Acme' })).apiKey;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

interface Frame {
  done: number;
  rate: string;
  eta: string;
}

/** Every bar frame drawn on the terminal, in order (frames are separated by carriage returns). */
function framesOf(screen: string): Frame[] {
  const frame = /job \w{8} \[[#-]+\] +\d+% (\d+)\/200000 codes ([\d.]+)\/s ETA ([0-9hms-]+)/;
  return screen
    .split(/[\r\n]/)
    .map((line) => frame.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ done: Number(match[1]), rate: match[2]!, eta: match[3]! }));
}

it(
  'draws a live bar for a 200,000-code job: growing counts, rate, ETA, and 200000/200000 at the end',
  async () => {
    const run = await runCliInTerminal(
      [
        '--url',
        stack.generator.url,
        '--token',
        key,
        'codes',
        'generate',
        '--brand',
        'acme',
        '--count',
        String(COUNT),
        '--wait',
      ],
      { timeoutMs: JOB_LIMIT_MS },
    );
    const screen = run.stdout;
    expect({ code: run.code, tail: screen.slice(-600) }).toEqual({
      code: 0,
      tail: expect.any(String) as unknown,
    });

    // Redrawn in place: a carriage return before each frame, the rest of the line erased after it.
    expect(screen).toMatch(/\rjob \w{8} \[/);
    expect(screen).toContain('\x1b[K');

    const frames = framesOf(screen);
    const counts = frames.map((f) => f.done);
    // Several distinct counts, never going back.
    expect(new Set(counts).size).toBeGreaterThanOrEqual(3);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    // While running: a rate above zero and a time estimate (e.g. 42s, 1m05s).
    const midway = frames.filter((f) => f.done > 0 && f.done < COUNT);
    expect(midway.length).toBeGreaterThan(0);
    expect(midway.some((f) => Number(f.rate) > 0 && /^(\d+s|\d+m\d\ds|\d+h\d\dm)$/.test(f.eta))).toBe(true);

    // The last frame: all of it.
    const last = frames.at(-1)!;
    expect(last).toMatchObject({ done: COUNT, eta: '0s' });
    expect(screen).toMatch(/\[#+\] 100% 200000\/200000 codes/);
    // Then the finished job, below the bar.
    expect(screen).toMatch(/status: +completed/);
    expect(screen).toMatch(/generated: +200000\/200000/);
  },
  JOB_LIMIT_MS + 60_000,
);
