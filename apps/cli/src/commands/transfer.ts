/**
 * Moving files in and out in bounded memory, counting as they go: bytes read for an import's
 * upload, lines written for an export's download.
 */
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError, EXIT, UsageError, errorText } from '../errors';
import type { Writable as TextWritable } from '../output';

export interface Upload {
  body: ReadableStream<Uint8Array>;
  /** The file's size; null for stdin. */
  size: number | null;
  /** Why reading the file failed, once it did: the request's failure is only a consequence. */
  readError(): CliError | undefined;
}

/**
 * The file (or `-`, stdin) as a stream that reports the bytes taken from it. The file is opened
 * here, before anything is sent: a missing one is a usage error, one that cannot be opened exit 1.
 */
export async function openUpload(file: string, onBytes: (sent: number) => void): Promise<Upload> {
  let size: number | null = null;
  let source: Readable;
  if (file === '-') source = process.stdin;
  else {
    const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new UsageError(`cannot read ${file}: no such file`);
      throw cannotRead(file, error);
    });
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw new UsageError(`${file} is not a file`);
    }
    size = info.size;
    source = handle.createReadStream();
  }
  let readError: CliError | undefined;
  // Seen here first: fetch reports it only as "fetch failed", which is no connection problem.
  source.once('error', (error) => (readError = cannotRead(file, error)));
  let sent = 0;
  const counting = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      sent += chunk.byteLength;
      onBytes(sent);
      controller.enqueue(chunk);
    },
  });
  const body = (Readable.toWeb(source) as ReadableStream<Uint8Array>).pipeThrough(counting);
  return { body, size, readError: () => readError };
}

const cannotRead = (file: string, error: unknown) =>
  new CliError(`cannot read ${file === '-' ? 'stdin' : file}: ${errorText(error)}`, EXIT.failure);

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

/** How a download ended: all of it written, or the reader of stdout went away (`| head`). */
export type DownloadEnd = 'complete' | 'reader-gone';

/**
 * Writes the stream to `out` (or `stdout` for `-`): into `out.partial` first and renamed at the end,
 * so a cut-off export never looks like a whole one.
 */
export async function download(
  body: ReadableStream<Uint8Array>,
  out: string,
  counter: Transform,
  stdout: TextWritable,
): Promise<DownloadEnd> {
  const source = Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]);
  if (out === '-') {
    const target = asStream(stdout);
    try {
      await pipeline(source, counter, target, { end: false });
      return 'complete';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      // As `cat` ends when `head` has read enough: quietly. Later write errors are the same pipe's.
      target.on('error', () => undefined);
      return 'reader-gone';
    }
  }
  const partial = `${out}.partial`;
  try {
    await pipeline(source, counter, createWriteStream(partial));
    await rename(partial, out);
    return 'complete';
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** process.stdout as it is; an in-memory writer (tests) behind a stream. */
function asStream(out: TextWritable): Writable {
  if (out instanceof Writable) return out;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.write(chunk.toString('utf8'));
      done();
    },
  });
}
