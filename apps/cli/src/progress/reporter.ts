import { renderFrame, type ProgressFrame } from './format';

/**
 * bar: redrawn in place on a terminal; lines: a plain line now and then (logs of a script that
 * did not ask for --json); off: nothing (--json, whose stdout a program reads, wants quiet stderr).
 */
export type ProgressMode = 'bar' | 'lines' | 'off';

export function progressMode(opts: { json: boolean; isTTY: boolean }): ProgressMode {
  if (opts.json) return 'off';
  return opts.isTTY ? 'bar' : 'lines';
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Redraws at most this often: a terminal over SSH chokes on hundreds of frames a second. */
const BAR_INTERVAL_MS = 100;
/** A plain line this often: enough to see a log move, not enough to flood it. */
const LINE_INTERVAL_MS = 5_000;

export interface ProgressReporter {
  /** `rate` (per second) when the source knows it better (a job's own); else done / elapsed. */
  update(done: number, total: number | null, rate?: number): void;
  /** Draws the last state unless it is shown already; ends the bar's line. */
  finish(): void;
}

export function createReporter(
  mode: ProgressMode,
  stream: ProgressStream,
  frame: Pick<ProgressFrame, 'unit' | 'label'>,
  now: () => number = Date.now,
): ProgressReporter {
  if (mode === 'off') return { update: () => undefined, finish: () => undefined };
  const startedAt = now();
  let last: ProgressFrame | null = null;
  let drawn: ProgressFrame | null = null;
  let drawnAt = -Infinity;

  const draw = () => {
    if (!last || last === drawn) return;
    const text = renderFrame(last, (stream.columns ?? 80) - 1);
    // \r and erase-to-end-of-line: the new frame replaces the old one on the same line.
    stream.write(mode === 'bar' ? `\r${text}\x1b[K` : `${text}\n`);
    drawn = last;
  };

  return {
    update(done, total, rate) {
      const elapsedSeconds = (now() - startedAt) / 1_000;
      const measured = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
      last = { ...frame, done, total, rate: rate ?? measured };
      const interval = mode === 'bar' ? BAR_INTERVAL_MS : LINE_INTERVAL_MS;
      if (now() - drawnAt >= interval) {
        drawnAt = now();
        draw();
      }
    },
    finish() {
      draw();
      if (mode === 'bar' && drawn) stream.write('\n');
    },
  };
}
