/**
 * Moving files in and out in bounded memory, counting as they go: bytes read for an import's
 * upload, lines written for an export's download.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../errors';

export interface Upload {
  body: ReadableStream<Uint8Array>;
  /** The file's size; null for stdin. */
  size: number | null;
}

/** The file (or `-`, stdin) as a stream that reports the bytes taken from it. */
export async function openUpload(file: string, onBytes: (sent: number) => void): Promise<Upload> {
  let size: number | null = null;
  let source: Readable;
  if (file === '-') source = process.stdin;
  else {
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new UsageError(`${file} is not a file`);
      size = info.size;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    source = createReadStream(file);
  }
  let sent = 0;
  const counting = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      sent += chunk.byteLength;
      onBytes(sent);
      controller.enqueue(chunk);
    },
  });
  return { body: (Readable.toWeb(source) as ReadableStream<Uint8Array>).pipeThrough(counting), size };
}

const NEWLINE = 0x0a;

/** Counts the line ends passing through (the CSV's rows, once the header is taken off). */
export function lineCounter(onLines: (lines: number) => void): Transform {
  let lines = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
      onLines(lines);
      done(null, chunk);
    },
  });
}

/**
 * Writes the stream to `out` (or stdout for `-`): into `out.partial` first and renamed at the end,
 * so a cut-off export never looks like a whole one.
 */
export async function download(
  body: ReadableStream<Uint8Array>,
  out: string,
  counter: Transform,
  stdout: Writable = process.stdout,
): Promise<void> {
  const source = Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]);
  if (out === '-') {
    await pipeline(source, counter, stdout, { end: false });
    return;
  }
  const partial = `${out}.partial`;
  try {
    await pipeline(source, counter, createWriteStream(partial));
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
