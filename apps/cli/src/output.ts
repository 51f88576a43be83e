/**
 * Results go to stdout (JSON with --json, one document per command, for scripts; text otherwise);
 * progress and errors go to stderr, so `discounts … --json | jq` always reads clean JSON.
 */
export interface Writable {
  write(text: string): unknown;
}

export interface Output {
  readonly json: boolean;
  /** The command's result: `value` as JSON, or `text()` for a person. */
  result(value: unknown, text: () => string): void;
  /** A note for a person on stderr (never with --json). */
  note(text: string): void;
}

export function createOutput(json: boolean, stdout: Writable, stderr: Writable): Output {
  return {
    json,
    result(value, text) {
      stdout.write(json ? `${JSON.stringify(value)}\n` : `${text()}\n`);
    },
    note(text) {
      if (!json) stderr.write(`${text}\n`);
    },
  };
}

/** `key: value` lines; nested values as compact JSON. */
export function formatRecord(record: Record<string, unknown>): string {
  const width = Math.max(0, ...Object.keys(record).map((k) => k.length));
  return Object.entries(record)
    .map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${formatValue(value)}`)
    .join('\n');
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '-';
}

/** Columns padded to their widest cell; the header in capitals. */
export function formatTable(
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
): string {
  const cells = rows.map((row) => columns.map((c) => formatValue(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}
