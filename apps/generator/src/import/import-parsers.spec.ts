import { Readable } from 'node:stream';
import { DomainError } from '@app/contracts';
import {
  bodyLines,
  csvEntries,
  csvFields,
  IMPORT_LINE_MAX,
  isCsvHeader,
  jsonArrayEntries,
  ndjsonEntries,
} from './import-parsers';

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};
const chunks = (...parts: Array<string | Buffer>) => Readable.from(parts.map((p) => Buffer.from(p)));

describe('bodyLines', () => {
  it('splits on LF and CRLF across chunk boundaries, keeping a last line without a newline', async () => {
    expect(await collect(bodyLines(chunks('AB', 'C\r', '\nDE\n\nF'), 1_000))).toEqual(['ABC', 'DE', '', 'F']);
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const bytes = Buffer.from('é\n');
    expect(await collect(bodyLines(chunks(bytes.subarray(0, 1), bytes.subarray(1)), 100))).toEqual(['é']);
  });

  it('cuts an endless line at IMPORT_LINE_MAX + 1 characters, and the readers reject it', async () => {
    const long = 'A'.repeat(10 * IMPORT_LINE_MAX);
    const lines = await collect(
      bodyLines(chunks(long.slice(0, 5_000), long.slice(5_000), '\nBBBB\n', long), 1e6),
    );
    expect(lines.map((l) => l.length)).toEqual([IMPORT_LINE_MAX + 1, 4, IMPORT_LINE_MAX + 1]);
    expect(await collect(csvEntries(Readable.from(lines)))).toEqual([
      { line: 1, code: undefined, problem: `line longer than ${IMPORT_LINE_MAX} characters` },
      { line: 2, code: 'BBBB', expiresAt: undefined },
      { line: 3, code: undefined, problem: `line longer than ${IMPORT_LINE_MAX} characters` },
    ]);
    expect(await collect(ndjsonEntries(Readable.from([lines[0]!])))).toEqual([
      { line: 1, code: undefined, problem: `line longer than ${IMPORT_LINE_MAX} characters` },
    ]);
  });

  it('turns a body cut off into invalid_input', async () => {
    const body = new Readable({ read() {} });
    body.push('AAAA\nBB');
    setImmediate(() => body.destroy(new Error('aborted')));
    await expect(collect(bodyLines(body, 1_000))).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'The import body ended early: aborted',
    });
  });

  it('stops with payload_too_large once more than maxBytes arrived', async () => {
    const lines: string[] = [];
    const reading = (async () => {
      for await (const line of bodyLines(chunks('AAAA\n', 'BBBB\n', 'CCCC\n'), 12)) lines.push(line);
    })();
    await expect(reading).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(lines).toEqual(['AAAA', 'BBBB']);
  });
});

describe('csvFields', () => {
  it('splits on commas, unquotes, undoubles quotes and trims', () => {
    expect(csvFields('ABC')).toEqual(['ABC']);
    expect(csvFields(' ABC , 2030-01-01 ')).toEqual(['ABC', '2030-01-01']);
    expect(csvFields('"A,B","say ""hi"""')).toEqual(['A,B', 'say "hi"']);
    expect(csvFields('ABC,')).toEqual(['ABC', '']);
  });

  it('knows the header line', () => {
    expect(isCsvHeader(['code'])).toBe(true);
    expect(isCsvHeader(['Code', 'expiresAt'])).toBe(true);
    expect(isCsvHeader(['code', 'expires_at'])).toBe(true);
    expect(isCsvHeader(['CODE1234'])).toBe(false);
    expect(isCsvHeader(['code', 'other'])).toBe(false);
  });
});

describe('csvEntries', () => {
  it('numbers lines as in the file, skipping the header and blank lines', async () => {
    const lines = Readable.from(['code,expiresAt', 'AAAA', '', '  ', 'BBBB,2030-01-01T00:00:00Z', 'C,D,E']);
    expect(await collect(csvEntries(lines))).toEqual([
      { line: 2, code: 'AAAA', expiresAt: undefined },
      { line: 5, code: 'BBBB', expiresAt: '2030-01-01T00:00:00Z' },
      { line: 6, code: 'C', problem: 'expected code[,expiresAt], got 3 fields' },
    ]);
  });

  it('treats "code" as a header on the first line only', async () => {
    expect(await collect(csvEntries(Readable.from(['AAAA', 'code'])))).toEqual([
      { line: 1, code: 'AAAA', expiresAt: undefined },
      { line: 2, code: 'code', expiresAt: undefined },
    ]);
  });
});

describe('ndjsonEntries / jsonArrayEntries', () => {
  it('reads strings and objects; marks bad JSON and other values', async () => {
    const lines = Readable.from(['"AAAA"', '', '{"code":"BBBB","expiresAt":"2030-01-01"}', '{x', '7']);
    expect(await collect(ndjsonEntries(lines))).toEqual([
      { line: 1, code: 'AAAA' },
      { line: 3, code: 'BBBB', expiresAt: '2030-01-01' },
      { line: 4, code: undefined, problem: 'not valid JSON' },
      { line: 5, code: undefined, problem: 'expected a code or { code, expiresAt }' },
    ]);
  });

  it('numbers array elements from 1 and refuses a body that is not an array', () => {
    expect([...jsonArrayEntries(['AAAA', { code: 'BBBB' }, null])]).toEqual([
      { line: 1, code: 'AAAA' },
      { line: 2, code: 'BBBB', expiresAt: undefined },
      { line: 3, code: undefined, problem: 'expected a code or { code, expiresAt }' },
    ]);
    expect(() => [...jsonArrayEntries({ code: 'AAAA' })]).toThrow(DomainError);
  });
});
