import {
  errorBodyFor,
  legacyError,
  legacySuccess,
  LEGACY_PATH_PREFIX,
  type ErrorDescription,
} from './response-bodies';

const unauthorized: ErrorDescription = {
  status: 401,
  code: 'unauthorized',
  message: 'Unknown user or wrong secret',
};

describe('legacySuccess', () => {
  it('is the predecessor envelope, byte for byte (DESIGN.md "Seed-compatible API")', () => {
    expect(legacySuccess('7U7I845L', '')).toStrictEqual({
      code: '201',
      data: '7U7I845L',
      message: '',
      status: 'success',
    });
    expect(JSON.stringify(legacySuccess('7U7I845L', ''))).toBe(
      '{"code":"201","data":"7U7I845L","message":"","status":"success"}',
    );
    expect(JSON.stringify(legacySuccess('', 'System generated discount codes successfully'))).toBe(
      '{"code":"201","data":"","message":"System generated discount codes successfully","status":"success"}',
    );
  });
});

describe('legacyError', () => {
  it('carries the HTTP status as a string code and an empty data', () => {
    expect(legacyError(409, 'No codes left')).toStrictEqual({
      code: '409',
      data: '',
      message: 'No codes left',
      status: 'error',
    });
  });
});

describe('errorBodyFor', () => {
  it('uses the legacy envelope on the predecessor routes, dropping details', () => {
    expect(LEGACY_PATH_PREFIX).toBe('/discounts/');
    expect(
      errorBodyFor('/discounts/api/v1.0/get_code/u1/s3cret/1', {
        ...unauthorized,
        details: { userId: 'u1' },
      }),
    ).toStrictEqual({ code: '401', data: '', message: 'Unknown user or wrong secret', status: 'error' });
    expect(
      errorBodyFor('/discounts/api/v1.0/generate', {
        status: 400,
        code: 'invalid_input',
        message: 'Invalid input: x',
      }),
    ).toStrictEqual({ code: '400', data: '', message: 'Invalid input: x', status: 'error' });
  });

  it('uses the v1 shape elsewhere, without a details key when there are none', () => {
    expect(errorBodyFor('/v1/brands/acme/claims', unauthorized)).toStrictEqual({
      statusCode: 401,
      error: 'unauthorized',
      message: 'Unknown user or wrong secret',
    });
    expect(Object.keys(errorBodyFor('/v1/brands', unauthorized))).toEqual(['statusCode', 'error', 'message']);
  });

  it('includes details in the v1 shape when given', () => {
    const details = { codeSpace: '1000000', limit: '10000', inUse: '9000', requested: '2000' };
    expect(
      errorBodyFor('/v1/brands/acme/codes', {
        status: 422,
        code: 'capacity_exceeded',
        message: 'Too many codes for this format',
        details,
      }),
    ).toStrictEqual({
      statusCode: 422,
      error: 'capacity_exceeded',
      message: 'Too many codes for this format',
      details,
    });
  });

  it.each(['/', '/v1/discounts/x', '/discounts', '/DISCOUNTS/api', '/docs', '/v1/x?next=/discounts/'])(
    'uses the v1 shape for %j',
    (path) => {
      expect(errorBodyFor(path, unauthorized)).toHaveProperty('statusCode', 401);
    },
  );

  it('treats a legacy path with a query string as legacy', () => {
    expect(errorBodyFor('/discounts/api/v1.0/generate?x=1', unauthorized)).toHaveProperty('status', 'error');
  });
});
