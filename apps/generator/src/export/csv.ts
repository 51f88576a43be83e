import { Transform } from 'node:stream';

/** RFC 4180 field: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: ReadonlyArray<string | number | Date | null | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * Object rows in, CSV text out, header first. A Transform, so stream.pipeline carries
 * backpressure from the socket back to the database cursor.
 */
export function csvTransform<T>(
  header: readonly string[],
  toFields: (row: T) => ReadonlyArray<string | number | Date | null | undefined>,
): Transform {
  let headerSent = false;
  return new Transform({
    writableObjectMode: true,
    transform(row: T, _encoding, done) {
      const line = csvLine(toFields(row));
      if (!headerSent) {
        headerSent = true;
        done(null, csvLine(header) + line);
      } else done(null, line);
    },
    flush(done) {
      done(null, headerSent ? '' : csvLine(header));
    },
  });
}
