import { ApiAnswerError, ConnectionError, EXIT, renderApiError, toConnectionError } from './errors';

describe('renderApiError', () => {
  it('puts the v1 error body on one line', () => {
    expect(
      renderApiError(
        409,
        { statusCode: 409, error: 'codes_exhausted', message: 'No codes left\nfor acme' },
        '',
      ),
    ).toBe('409 codes_exhausted: No codes left for acme');
  });

  it('adds details and the request id', () => {
    const line = renderApiError(
      429,
      {
        statusCode: 429,
        error: 'rate_limited',
        message: 'Too many requests',
        details: { retryAfterSeconds: 3 },
      },
      '',
      'req-1',
    );
    expect(line).toBe(
      '429 rate_limited: Too many requests (details: {"retryAfterSeconds":3}) [request req-1]',
    );
  });

  it('joins validation messages given as a list', () => {
    expect(
      renderApiError(400, { error: 'invalid_input', message: ['count must be ≥ 1', 'bad prefix'] }, ''),
    ).toBe('400 invalid_input: count must be ≥ 1; bad prefix');
  });

  it('shows a body that is not the API’s, cut short', () => {
    const html = `<html>\n<body>${'x'.repeat(400)}</body></html>`;
    const line = renderApiError(502, null, html);
    expect(line.startsWith('502 <html> <body>xxx')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(305);
    expect(renderApiError(503, null, '')).toBe('503 (empty answer)');
  });

  it('is the message of an ApiAnswerError, which exits with the API code', () => {
    const error = new ApiAnswerError(
      401,
      { statusCode: 401, error: 'unauthorized', message: 'Invalid token' },
      '',
      null,
    );
    expect(error.message).toBe('401 unauthorized: Invalid token');
    expect(error.exitCode).toBe(EXIT.api);
  });
});

describe('toConnectionError', () => {
  it('names the socket error fetch hides in its cause', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' }),
    });
    const converted = toConnectionError(error, 'the generator at http://127.0.0.1:5999') as ConnectionError;
    expect(converted.message).toBe(
      'cannot reach the generator at http://127.0.0.1:5999: connection refused (ECONNREFUSED)',
    );
    expect(converted).toBeInstanceOf(ConnectionError);
    expect(converted.exitCode).toBe(EXIT.connection);
  });

  it('says which limit a timeout hit', () => {
    const timeout = new DOMException('timed out', 'TimeoutError');
    expect((toConnectionError(timeout, 'the generator at http://h', 1_500) as Error).message).toBe(
      'no answer from the generator at http://h within 1500 ms (--timeout)',
    );
  });

  it('counts undici’s and TLS errors as unreachable too', () => {
    for (const code of ['UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
      const error = new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
      expect(toConnectionError(error, 'x')).toBeInstanceOf(ConnectionError);
    }
  });

  it('leaves every other failure as it is, not "cannot reach" (exit 1, not 4)', () => {
    // What fetch says when the upload's file cannot be read: the cause is the file's error.
    const unreadable = new TypeError('fetch failed', {
      cause: Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }),
    });
    const notJson = new SyntaxError('Unexpected token < in JSON at position 0');
    const noCode = new TypeError('fetch failed', { cause: new Error('bad port') });
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    for (const error of [unreadable, notJson, noCode, bug]) expect(toConnectionError(error, 'x')).toBe(error);
  });

  it('keeps the exit codes apart', () => {
    expect(new Set([EXIT.usage, EXIT.api, EXIT.connection, EXIT.jobNotCompleted, EXIT.failure]).size).toBe(5);
  });
});
