import { createHash, type Hash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';

// A streamed body (the import's CSV / NDJSON) is read by the handler, after the interceptor has
// decided, so its fingerprint is the hash of the bytes as they pass, known once they all have.

/** Streamed fingerprints carry the body's length, so that a retry is read no further than it. */
const STREAMED = /^s\.(\d+)\.([A-Za-z0-9_-]+)$/;

export function streamedFingerprint(prefix: string, bytes: number, hash: Hash): string {
  return `s.${bytes}.${hash.update(prefix).digest('base64url')}`;
}

/** The body length a streamed fingerprint was taken over, or undefined for a parsed body's. */
export function streamedLengthOf(fingerprint: string): number | undefined {
  const match = STREAMED.exec(fingerprint);
  return match ? Number(match[1]) : undefined;
}

export interface TappedBody {
  /** What the handler reads in place of the request's body. */
  readonly stream: Readable;
  /** The fingerprint of the whole body, once all of it has come through (undefined before). */
  fingerprint(prefix: string): string | undefined;
}

/** Hands the handler the same bytes while hashing them. */
export function tapBody(body: Readable): TappedBody {
  const hash = createHash('sha256');
  let bytes = 0;
  let ended = false;
  // A transform, not a 'data' listener: the handler, not the tap, decides when bytes flow.
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      ended = true;
      done();
    },
  });
  // Errors of the upload (a client that goes away) reach the handler through the tap.
  pipeline(body, tap, () => undefined);
  return {
    stream: tap,
    fingerprint: (prefix) => (ended ? streamedFingerprint(prefix, bytes, hash) : undefined),
  };
}

/**
 * The fingerprint of a retried body, read to its end but never past `limit` bytes (the length of
 * the body first sent): a longer body is another request, known without reading the rest.
 */
export async function fingerprintBody(
  body: Readable,
  prefix: string,
  limit: number,
): Promise<string | undefined> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buffer.length;
    // Leaving the loop ends the upload, as the import does past IMPORT_MAX_BYTES.
    if (bytes > limit) return undefined;
    hash.update(buffer);
  }
  return streamedFingerprint(prefix, bytes, hash);
}
