/**
 * Requests against a real HTTP server on a free port: which failures are "cannot reach" (exit 4)
 * and which are not, and how --timeout applies to a streamed upload.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError, ConnectionError, EXIT } from '../errors';
import { openUpload } from '../commands/transfer';
import { importCodes } from './stream-routes';
import { generatorApi } from './typed-apis';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let handler: Handler;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Fails the test with the error a promise was expected to reject with, else returns it. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** A stream of `chunks` chunks of `size` bytes, one every `everyMs`. */
function slowBody(chunks: number, size: number, everyMs: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (sent++ === chunks) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      controller.enqueue(new Uint8Array(size).fill(0x41));
    },
  });
}

it('a 2xx that is not JSON (a proxy’s page) is exit 1 and says so, not "cannot reach"', async () => {
  handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
  const error = await failureOf(generatorApi(baseUrl, 'token', 5_000).getBrand('acme'));
  expect(error).toBeInstanceOf(CliError);
  expect(error).not.toBeInstanceOf(ConnectionError);
  expect((error as CliError).exitCode).toBe(EXIT.failure);
  expect((error as CliError).message).toMatch(
    /^the generator at http:\/\/127\.0\.0\.1:\d+ answered with a body that is not JSON/,
  );
});

it('an import whose file cannot be read fails with the file’s error (exit 1), not "cannot reach"', async () => {
  handler = (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  };
  // Opens as a file and fails on the first read (EIO), even for root.
  const upload = await openUpload('/proc/self/mem', () => undefined);
  const error = await failureOf(importCodes(baseUrl, 't', 'acme', upload.body, 'text/csv', null, 5_000));
  expect(error).not.toBeInstanceOf(ConnectionError);
  expect(upload.readError()?.message).toMatch(/^cannot read \/proc\/self\/mem: EIO/);
  expect(upload.readError()?.exitCode).toBe(EXIT.failure);
});

describe('--timeout on an import', () => {
  it('does not cut an upload that takes longer than it', async () => {
    handler = (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"accepted":4}'));
    };
    // 4 chunks 150 ms apart: the upload takes ~600 ms, three times the timeout.
    const report = await importCodes(baseUrl, 't', 'acme', slowBody(4, 10, 150), 'text/csv', null, 200);
    expect(report).toEqual({ accepted: 4 });
  });

  it('bounds the wait for the answer once the upload is sent', async () => {
    handler = (req) => req.resume(); // reads everything, never answers
    const error = await failureOf(
      importCodes(baseUrl, 't', 'acme', slowBody(1, 10, 0), 'text/csv', null, 200),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toMatch(/^no answer from the generator at .* within 200 ms/);
  });
});
