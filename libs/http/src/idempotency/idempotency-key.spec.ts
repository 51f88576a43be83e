import { DomainError } from '@app/contracts';
import {
  canonicalJson,
  isKeptAnswer,
  openAnswer,
  parseIdempotencyKey,
  recordIdOf,
  requestFingerprint,
  sealAnswer,
} from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it.each(['a', '0f8fad5b-d9cb-469f-a165-70867728950e', 'order:42/retry#1', '~'.repeat(255)])(
    'accepts %p',
    (key) => {
      expect(parseIdempotencyKey(key)).toBe(key);
    },
  );

  it.each(['', ' ', 'has space', 'x'.repeat(256), 'é', 'tab\there', 'nul\u0000'])(
    'refuses %p with a 400',
    (key) => {
      expect(() => parseIdempotencyKey(key)).toThrow(DomainError);
      expect(() => parseIdempotencyKey(key)).toThrow(/^Idempotency-Key must be 1–255 visible ASCII/);
    },
  );

  it('refuses the header sent twice', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow(/one Idempotency-Key header, not 2/);
  });
});

describe('recordIdOf', () => {
  it('scopes the key per caller and never contains it', () => {
    const id = recordIdOf('generator/brand:acme', 'key-1');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).not.toBe(recordIdOf('generator/brand:other', 'key-1'));
    expect(id).not.toBe(recordIdOf('generator/brand:acme', 'key-2'));
    // Length-prefixed parts: moving a character from the scope to the key changes the id.
    expect(recordIdOf('ab', 'c')).not.toBe(recordIdOf('a', 'bc'));
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same body in another key order', () => {
    expect(requestFingerprint('POST', '/v1/brands/acme/codes', { count: 5, prefix: 'A-' })).toBe(
      requestFingerprint('post', '/v1/brands/acme/codes', { prefix: 'A-', count: 5 }),
    );
  });

  it('differs by body, path and method', () => {
    const base = requestFingerprint('POST', '/v1/brands/acme/codes', { count: 5 });
    expect(requestFingerprint('POST', '/v1/brands/acme/codes', { count: 6 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/brands/other/codes', { count: 5 })).not.toBe(base);
    expect(requestFingerprint('PUT', '/v1/brands/acme/codes', { count: 5 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/brands/acme/codes', { count: '5' })).not.toBe(base);
  });

  it('treats no body as null', () => {
    expect(requestFingerprint('POST', '/x', undefined)).toBe(requestFingerprint('POST', '/x', null));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps arrays in order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null, u: undefined })).toBe(
      '{"a":null,"b":[{"c":2,"d":1}]}',
    );
  });
});

describe('isKeptAnswer', () => {
  it.each([200, 201, 202, 401, 403, 404, 409, 413, 415, 422])('keeps %i', (status) => {
    expect(isKeptAnswer(status)).toBe(true);
  });

  it.each([400, 408, 429, 500, 503, 301])('does not keep %i (the same key may be retried)', (status) => {
    expect(isKeptAnswer(status)).toBe(false);
  });
});

describe('sealAnswer / openAnswer', () => {
  const answer = { headers: { location: '/v1/jobs/j1' }, body: '{"apiKey":"dk_secret"}' };

  it('round-trips, and the sealed text does not show the body', () => {
    const sealed = sealAnswer('generator/admin', 'k1', 'id1', answer);
    expect(sealed).not.toContain('dk_secret');
    expect(openAnswer('generator/admin', 'k1', 'id1', sealed)).toEqual(answer);
  });

  it('cannot be opened without the Idempotency-Key, or under another record', () => {
    const sealed = sealAnswer('generator/admin', 'k1', 'id1', answer);
    expect(() => openAnswer('generator/admin', 'k2', 'id1', sealed)).toThrow();
    expect(() => openAnswer('generator/admin', 'k1', 'id2', sealed)).toThrow();
  });
});
