/** Pure formatting of progress figures (no I/O): counts, rates, ETAs, sizes and the bar itself. */

/** `45s`, `2m05s`, `1h02m`; `--` when unknown (no rate yet, or nothing left to estimate from). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  return `${Math.floor(s / 3_600)}h${pad2(Math.floor((s % 3_600) / 60))}m`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Seconds left at `rate` per second, or null when it cannot be told. */
export function etaSeconds(done: number, total: number | null, rate: number): number | null {
  if (total === null) return null;
  if (done >= total) return 0;
  if (!(rate > 0)) return null;
  return (total - done) / rate;
}

/** `3812/s`, `12.5/s` below 100 (small rates need a decimal to move), `0/s`. */
export function formatRate(perSecond: number, unit = ''): string {
  const suffix = unit ? ` ${unit}/s` : '/s';
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return `0${suffix}`;
  return `${perSecond < 100 ? perSecond.toFixed(1) : Math.round(perSecond)}${suffix}`;
}

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Decimal units, as file managers show them: `999 B`, `1.7 MB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1_000 && unit < SIZE_UNITS.length - 1) {
    value /= 1_000;
    unit++;
  }
  // Whole bytes: a rate (bytes over seconds) below 1 kB is a fraction too.
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${SIZE_UNITS[unit]}`;
}

export interface ProgressFrame {
  done: number;
  /** null: unknown (an export with filters the stats cannot count, stdin). */
  total: number | null;
  /** Units per second. */
  rate: number;
  /** `codes`, `rows`, or `bytes` (shown as sizes). */
  unit: string;
  /** Words before the bar, e.g. the job id's start. */
  label?: string;
}

const BAR_WIDTH_MAX = 30;
const BAR_WIDTH_MIN = 10;

/**
 * One line: `job 1a2b [#######-------]  42% 84000/200000 codes 3812/s ETA 30s`. Without a total
 * there is no bar or percentage, only the count and the rate. Fits in `columns` when it can.
 */
export function renderFrame(frame: ProgressFrame, columns = 80): string {
  const bytes = frame.unit === 'bytes';
  const amount = (n: number) => (bytes ? formatBytes(n) : String(n));
  const rate = bytes ? `${formatBytes(frame.rate)}/s` : formatRate(frame.rate);
  const label = frame.label ? `${frame.label} ` : '';
  if (frame.total === null) {
    return `${label}${amount(frame.done)}${bytes ? '' : ` ${frame.unit}`} ${rate}`;
  }
  const ratio = frame.total > 0 ? Math.min(1, frame.done / frame.total) : 1;
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  const counts = `${amount(frame.done)}/${amount(frame.total)}${bytes ? '' : ` ${frame.unit}`}`;
  const eta = `ETA ${formatDuration(etaSeconds(frame.done, frame.total, frame.rate))}`;
  const tail = `${percent} ${counts} ${rate} ${eta}`;
  const room = columns - label.length - tail.length - 3;
  const width = Math.max(BAR_WIDTH_MIN, Math.min(BAR_WIDTH_MAX, room));
  const filled = Math.round(ratio * width);
  return `${label}[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${tail}`;
}
