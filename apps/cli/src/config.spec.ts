import { UsageError } from './errors';
import { requireBrand, requireToken, resolveConfig } from './config';

describe('resolveConfig', () => {
  it('takes flags over the environment over the defaults', () => {
    const env = { DISCOUNTS_URL: 'http://gen:7001/', DISCOUNTS_TOKEN: 'env-token' };
    expect(resolveConfig({}, {})).toMatchObject({
      generatorUrl: 'http://localhost:5001',
      providerUrl: 'http://localhost:5002',
      token: undefined,
      json: false,
      timeoutMs: 30_000,
    });
    expect(resolveConfig({}, env)).toMatchObject({ generatorUrl: 'http://gen:7001', token: 'env-token' });
    expect(resolveConfig({ url: 'https://x.example/base/', token: 'flag', json: true }, env)).toMatchObject({
      generatorUrl: 'https://x.example/base',
      token: 'flag',
      json: true,
    });
  });

  it('names the flag and variable of a bad URL', () => {
    expect(() => resolveConfig({}, { DISCOUNTS_PROVIDER_URL: 'localhost:5002' })).toThrow(
      /--provider-url \/ DISCOUNTS_PROVIDER_URL: "localhost:5002" must be http/,
    );
    expect(() => resolveConfig({ url: 'not a url' }, {})).toThrow(UsageError);
  });

  it('refuses a user or password in the URL as a usage error, without repeating it', () => {
    for (const url of ['http://admin:s3cret@gen:5001', 'http://s3cret@gen:5001']) {
      let error: unknown;
      try {
        resolveConfig({ url }, {});
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as UsageError).message).toMatch(/^--url \/ DISCOUNTS_URL: a user or password/);
      expect((error as UsageError).message).not.toContain('s3cret');
    }
    expect(() => resolveConfig({ url: 'gen:s3cret@x y' }, {})).toThrow(/^(?!.*s3cret)/);
  });

  it('asks for a brand and a token in words a person can act on', () => {
    expect(requireBrand(undefined, { DISCOUNTS_BRAND: 'acme' })).toBe('acme');
    expect(requireBrand('flag', { DISCOUNTS_BRAND: 'acme' })).toBe('flag');
    expect(() => requireBrand(undefined, {})).toThrow(/--brand <id> or set DISCOUNTS_BRAND/);
    expect(() => requireToken(resolveConfig({}, {}))).toThrow(/--token or set DISCOUNTS_TOKEN/);
  });
});
