import { clientErrorAnswer } from './client-errors';
import { httpStatusOf } from './error-status';

describe('clientErrorAnswer', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'headers_too_large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'request_timeout'],
    ['HPE_INVALID_METHOD', 400, 'invalid_input'],
    [undefined, 400, 'invalid_input'],
  ])('answers %s with %i %s', (errorCode, status, code) => {
    const answer = clientErrorAnswer(errorCode);
    expect(answer).toMatchObject({ status, code });
    expect(httpStatusOf(answer.code)).toBe(status);
    expect(answer.message.length).toBeGreaterThan(0);
  });
});
