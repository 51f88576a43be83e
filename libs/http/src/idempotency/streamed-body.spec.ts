import { Readable } from 'node:stream';
import { fingerprintBody, streamedLengthOf, tapBody } from './streamed-body';

const body = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

async function readAll(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString();
  return text;
}

describe('tapBody', () => {
  it('passes the bytes through and fingerprints them once read, as fingerprintBody does a retry', async () => {
    const tapped = tapBody(body('code\n', 'A-1\n', 'A-2\n'));
    expect(tapped.fingerprint('p')).toBeUndefined();
    expect(await readAll(tapped.stream)).toBe('code\nA-1\nA-2\n');
    const fingerprint = tapped.fingerprint('p');
    expect(fingerprint).toMatch(/^s\.13\./);
    expect(streamedLengthOf(fingerprint!)).toBe(13);
    // Chunked differently, the same bytes are the same request; another prefix is not.
    expect(await fingerprintBody(body('code\nA-1', '\nA-2\n'), 'p', 13)).toBe(fingerprint);
    expect(await fingerprintBody(body('code\nA-1\nA-2\n'), 'q', 13)).not.toBe(fingerprint);
    expect(await fingerprintBody(body('code\nA-1\nA-3\n'), 'p', 13)).not.toBe(fingerprint);
  });

  it('has no fingerprint while the body has not all come through', async () => {
    const source = new Readable({ read: () => undefined });
    source.push('A-1\n');
    const tapped = tapBody(source);
    for await (const chunk of tapped.stream as AsyncIterable<Buffer>) {
      expect(chunk.toString()).toBe('A-1\n');
      break;
    }
    expect(tapped.fingerprint('p')).toBeUndefined();
  });
});

describe('fingerprintBody', () => {
  it('stops past the first body’s length: a longer body is another request', async () => {
    expect(await fingerprintBody(body('A-1\n', 'A-2\n'), 'p', 4)).toBeUndefined();
  });
});

describe('streamedLengthOf', () => {
  it('is undefined for the fingerprint of a parsed body', () => {
    expect(streamedLengthOf('pending.abc')).toBeUndefined();
    expect(streamedLengthOf('AbC-_123')).toBeUndefined();
  });
});
